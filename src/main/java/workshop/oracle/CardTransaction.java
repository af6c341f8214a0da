package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A card payment (the talks' authorization attempts): which card, where, how much, when; keyed by
 * card number. Input of windows3 and joins3 and their ksqlDB twins; see {@link Fraud}.
 */
@JsonPropertyOrder({"transaction_id", "card_number", "location", "amount", "time"})
public record CardTransaction(
        @JsonProperty("transaction_id") String transactionId,
        @JsonProperty("card_number") String cardNumber,
        @JsonProperty("location") String location,
        @JsonProperty("amount") long amount,
        @JsonProperty("time") long time) {

    public String toJson() {
        return Json.write(this);
    }

    public static CardTransaction fromJson(String json) {
        return Json.read(json, CardTransaction.class);
    }

    CardTransaction at(long newTime, String id) {
        return new CardTransaction(id, cardNumber, location, amount, newTime);
    }
}
