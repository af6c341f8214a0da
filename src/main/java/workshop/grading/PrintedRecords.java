package workshop.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records as exercises print them, one per line: the offset, a tab, the value. Other lines
 * (a learner's own debug output) are ignored.
 */
public final class PrintedRecords {

    private static final Pattern LINE = Pattern.compile("^(\\d+)\\t(.*)$");

    public record Printed(long offset, String value) {
    }

    private PrintedRecords() {
    }

    public static List<Printed> parse(List<String> lines) {
        List<Printed> printed = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                printed.add(new Printed(Long.parseLong(m.group(1)), m.group(2)));
            }
        }
        return printed;
    }

    public static List<Long> offsets(List<Printed> printed) {
        return printed.stream().map(Printed::offset).toList();
    }

    /** "0..24 (25 records)", "3, 9 (2 records)" or "no records": readable in a report. */
    public static String describe(List<Long> offsets) {
        if (offsets.isEmpty()) {
            return "no records";
        }
        boolean consecutive = true;
        for (int i = 1; i < offsets.size(); i++) {
            consecutive &= offsets.get(i) == offsets.get(i - 1) + 1;
        }
        String count = " (" + offsets.size() + (offsets.size() == 1 ? " record)" : " records)");
        if (consecutive && offsets.size() > 2) {
            return "offsets " + offsets.get(0) + ".." + offsets.get(offsets.size() - 1) + count;
        }
        List<Long> shown = offsets.size() > 12 ? offsets.subList(0, 12) : offsets;
        String list = shown.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
        return "offsets " + list + (offsets.size() > 12 ? ", ..." : "") + count;
    }

    /** The offsets from {@code first} up to, not including, {@code end}. */
    public static List<Long> range(long first, long end) {
        List<Long> offsets = new ArrayList<>();
        for (long o = first; o < end; o++) {
            offsets.add(o);
        }
        return offsets;
    }
}
