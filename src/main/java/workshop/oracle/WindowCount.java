package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A count for one key in one window [start, end): what the windowed exercises write, e.g.
 * {@code {"key":"gold","window_start":...,"window_end":...,"count":7}}. A count without its window
 * means nothing: the same key has one count per window. Session windows' end is their last
 * event's time (inclusive).
 */
@JsonPropertyOrder({"key", "window_start", "window_end", "count"})
public record WindowCount(
        @JsonProperty("key") String key,
        @JsonProperty("window_start") long start,
        @JsonProperty("window_end") long end,
        @JsonProperty("count") long count) {

    public String toJson() {
        return Json.write(this);
    }

    public static WindowCount fromJson(String json) {
        return Json.read(json, WindowCount.class);
    }

    /** The window alone, to compare where counts may differ. */
    public String window() {
        return key + "@[" + start + "," + end + ")";
    }
}
