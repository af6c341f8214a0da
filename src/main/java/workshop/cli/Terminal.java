package workshop.cli;

import picocli.CommandLine.Help.Ansi;

import java.io.PrintStream;

/** Where the runner writes for the learner: colours when the terminal has them, plain text otherwise. */
public final class Terminal {

    private final PrintStream out;
    private final Ansi ansi;

    public Terminal(PrintStream out, Ansi ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    public static Terminal system() {
        return new Terminal(System.out, Ansi.AUTO);
    }

    public Ansi ansi() {
        return ansi;
    }

    /** Prints a line with picocli markup, e.g. {@code "@|green ok|@"}. */
    public void println(String markup) {
        out.println(ansi.string(markup));
        out.flush();
    }

    public void println() {
        out.println();
    }

    /** Prints text as it is, no markup. */
    public void print(String text) {
        out.println(text);
        out.flush();
    }

    /** A line for long work: "  > Starting Kafka broker...". */
    public void progress(String line) {
        println("  @|faint >|@ " + escape(line));
    }

    /** "[██████░░░░░░] 3/8 exercises done" */
    public String bar(long done, long total) {
        int width = 24;
        int filled = total == 0 ? 0 : (int) Math.round(width * (double) done / total);
        boolean unicode = java.nio.charset.Charset.defaultCharset().name().toUpperCase().contains("UTF");
        String full = unicode ? "█" : "#";
        String empty = unicode ? "░" : ".";
        return ansi.string("[@|green " + full.repeat(filled) + "|@" + empty.repeat(width - filled) + "] ")
                + done + "/" + total + " exercises done";
    }

    public static String escape(String text) {
        return text.replace("@|", "@ |").replace("|@", "| @");
    }
}
