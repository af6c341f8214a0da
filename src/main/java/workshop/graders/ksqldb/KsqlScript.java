package workshop.graders.ksqldb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A learner's .sql file as the ksqlDB CLI reads it: statements ended by semicolons, with
 * {@code --} and {@code /* *&#47;} comments, 'string literals' and `quoted identifiers`. Each
 * statement keeps the line it starts on, so that an error can name it.
 */
public record KsqlScript(Path file, List<Statement> statements) {

    /** One statement, comments removed, without its semicolon. */
    public record Statement(int number, int line, String text) {

        /** The first words, for messages: {@code CREATE STREAM RATINGS ...}. */
        public String summary() {
            String flat = text.replaceAll("\\s+", " ").trim();
            return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
        }

        public boolean isQuery() {
            return upper().startsWith("SELECT ");
        }

        /** A push query: a SELECT that streams its changes until it is stopped. */
        public boolean isPushQuery() {
            return isQuery() && upper().matches("(?s).*\\bEMIT\\s+(CHANGES|FINAL)\\b.*");
        }

        public boolean isSet() {
            return upper().startsWith("SET ") || upper().startsWith("UNSET ");
        }

        private String upper() {
            return text.replaceAll("\\s+", " ").trim().toUpperCase(Locale.ROOT);
        }

        /**
         * The statement with this grading's names: every identifier that is a key of
         * {@code objects} (any case) is replaced by its value, and every string literal that is a
         * key of {@code literals} (a topic name) by its value. Nothing else changes.
         */
        public Statement renamed(Map<String, String> objects, Map<String, String> literals) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\'') {
                    int end = endOfQuoted(text, i, '\'');
                    String literal = text.substring(i + 1, end - 1);
                    String replacement = literals.get(literal);
                    out.append(replacement == null ? text.substring(i, end) : "'" + replacement + "'");
                    i = end;
                } else if (c == '`') {
                    int end = endOfQuoted(text, i, '`');
                    out.append(text, i, end);
                    i = end;
                } else if (Character.isLetter(c) || c == '_') {
                    int end = i;
                    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                        end++;
                    }
                    String word = text.substring(i, end);
                    out.append(objects.getOrDefault(word.toUpperCase(Locale.ROOT), word));
                    i = end;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return new Statement(number, line, out.toString());
        }
    }

    public static KsqlScript read(Path file) {
        try {
            return new KsqlScript(file, parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Splits a script into statements; text after the last semicolon counts as a statement too. */
    static List<Statement> parse(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '-' && script.startsWith("--", i)) {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && script.startsWith("/*", i)) {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? script.length() : end + 2;
                for (int j = i; j < end; j++) {
                    if (script.charAt(j) == '\n') {
                        line++;
                        current.append('\n');
                    }
                }
                current.append(' ');
                i = end;
                continue;
            }
            if (c == ';') {
                add(statements, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (!Character.isWhitespace(c) && startLine < 0) {
                startLine = line;
            }
            if (c == '\'' || c == '`') {
                int end = endOfQuoted(script, i, c);
                String quoted = script.substring(i, end);
                line += (int) quoted.chars().filter(ch -> ch == '\n').count();
                current.append(quoted);
                i = end;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            current.append(c);
            i++;
        }
        add(statements, current, startLine);
        return List.copyOf(statements);
    }

    private static void add(List<Statement> statements, StringBuilder text, int line) {
        String statement = text.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(new Statement(statements.size() + 1, line, statement));
        }
    }

    /** The index after the closing quote ({@code ''} inside a literal is an escaped quote). */
    private static int endOfQuoted(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }
}
