package workshop.room;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Whether this learner's gradings go to the room's progress board. Off unless the room's
 * settings say so: {@code room.progress=on} in the stack.properties the instructor hands out, or
 * {@code WORKSHOP_ROOM_PROGRESS=on}; and only for a named learner ({@link Learner}).
 */
public record RoomSettings(boolean publish) {

    /** Where gradings are published and where {@code workshop room} reads them. */
    public static final String PROGRESS_TOPIC = "workshop.progress";
    public static final String PROGRESS_KEY = "room.progress";
    public static final String PROGRESS_VARIABLE = "WORKSHOP_ROOM_PROGRESS";

    public static RoomSettings load(Path root, Map<String, String> environment) {
        String value = environment.get(PROGRESS_VARIABLE);
        if (value == null) {
            Path file = root.resolve("stack.properties");
            if (Files.isRegularFile(file)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                } catch (IOException e) {
                    return new RoomSettings(false); // ExternalStack reports an unreadable file; the board is no reason to fail
                }
                value = properties.getProperty(PROGRESS_KEY);
            }
        }
        boolean on = value != null && switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            default -> false;
        };
        return new RoomSettings(on && Learner.name().isPresent());
    }
}
