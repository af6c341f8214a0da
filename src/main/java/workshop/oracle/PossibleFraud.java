package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Two payments with one card at two places, the second within a few minutes of the first: the
 * output of joins3 (a KStream-KStream windowed join; ksqlDB twin: a stream-stream join WITHIN
 * N MINUTES, as in the ATM fraud demo of the talks).
 */
@JsonPropertyOrder({"card_number", "first_transaction_id", "first_location", "first_time",
        "second_transaction_id", "second_location", "second_time"})
public record PossibleFraud(
        @JsonProperty("card_number") String cardNumber,
        @JsonProperty("first_transaction_id") String firstTransactionId,
        @JsonProperty("first_location") String firstLocation,
        @JsonProperty("first_time") long firstTime,
        @JsonProperty("second_transaction_id") String secondTransactionId,
        @JsonProperty("second_location") String secondLocation,
        @JsonProperty("second_time") long secondTime) {

    public static PossibleFraud of(CardTransaction first, CardTransaction second) {
        return new PossibleFraud(first.cardNumber(), first.transactionId(), first.location(), first.time(),
                second.transactionId(), second.location(), second.time());
    }

    /** The pair, to compare regardless of the other fields. */
    public String pair() {
        return firstTransactionId + "->" + secondTransactionId;
    }

    public String toJson() {
        return Json.write(this);
    }

    public static PossibleFraud fromJson(String json) {
        return Json.read(json, PossibleFraud.class);
    }
}
