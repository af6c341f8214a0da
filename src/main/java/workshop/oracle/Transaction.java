package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A payment into (amount > 0) or out of (amount < 0) an account, in whole pounds, at a time: the
 * stream of the talk's stream/table duality. Input of streams2 and streams3 (ksqlDB twin: a
 * TRANSACTIONS stream summed into a BALANCES table); see {@link Tables}.
 */
@JsonPropertyOrder({"account_id", "amount", "time"})
public record Transaction(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("amount") long amount,
        @JsonProperty("time") long time) {

    public String toJson() {
        return Json.write(this);
    }

    public static Transaction fromJson(String json) {
        return Json.read(json, Transaction.class);
    }
}
