package workshop.graders.capstone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import workshop.data.Rating;

import java.util.Map;

/**
 * What the capstone's notifier receives and sends: a rating enriched with its customer (the
 * pipeline's output, JSON) and the text of the Slack-style message it must post for it.
 */
public final class Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Notifications() {
    }

    /** A customer as the pipeline joins it: the columns of the customers table that ratings carry. */
    public record Customer(int id, String firstName, String lastName, String email, String clubStatus) {
        static Customer of(Map<String, String> row) {
            return new Customer(Integer.parseInt(row.get("id")), row.get("first_name"), row.get("last_name"),
                    row.get("email"), row.get("club_status"));
        }

        Customer withStatus(String status) {
            return new Customer(id, firstName, lastName, email, status);
        }
    }

    /** The pipeline's enriched rating, as JSON (lower-case field names, as in the talk's records). */
    public static String enriched(Rating rating, Customer customer) {
        ObjectNode json = JSON.valueToTree(rating);
        json.put("first_name", customer.firstName());
        json.put("last_name", customer.lastName());
        json.put("email", customer.email());
        json.put("club_status", customer.clubStatus());
        return json.toString();
    }

    /** The text the notifier posts for an unhappy platinum customer's rating. */
    public static String text(Rating rating, Customer customer) {
        return String.format("Unhappy platinum customer %s %s (%s) rated route %d %d star(s): \"%s\" [rating %d]",
                customer.firstName(), customer.lastName(), customer.email(), rating.routeId(), rating.stars(),
                rating.message(), rating.ratingId());
    }

    /** The rating id at the end of a notification's text, or -1. */
    public static long ratingId(String text) {
        int at = text.lastIndexOf("[rating ");
        if (at < 0 || !text.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(text.substring(at + "[rating ".length(), text.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
