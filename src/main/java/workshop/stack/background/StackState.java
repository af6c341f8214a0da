package workshop.stack.background;

import workshop.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import workshop.stack.Endpoints;
import workshop.stack.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the background stack writes once it is ready: its process id, where its services answer,
 * and where it takes requests to start more services. Written atomically (a temporary file, then
 * a move), so a reader never sees half of it; removed when the stack stops.
 *
 * @param addresses   by service id, e.g. {"kafka": "localhost:9092"}
 * @param controlPort loopback port of the stack's control endpoint (start more services)
 * @param token       secret that requests to the control endpoint must carry
 */
public record StackState(long pid, String backend, long startedMillis, Map<String, String> addresses, int controlPort, String token) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path file(Path stateDir) {
        return stateDir.resolve("stack").resolve("state.json");
    }

    public static StackState of(long pid, String backend, long startedMillis, Endpoints endpoints, int controlPort, String token) {
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        endpoints.addresses().forEach((service, address) -> addresses.put(service.id(), address));
        return new StackState(pid, backend, startedMillis, addresses, controlPort, token);
    }

    public Endpoints endpoints() {
        Map<Service, String> byService = new EnumMap<>(Service.class);
        addresses.forEach((id, address) -> byService.put(Service.fromId(id), address));
        return new Endpoints(byService);
    }

    public Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /**
     * Where the services answer, as the variables a program reads (BOOTSTRAP_SERVERS=...), one a
     * line: {@code ./jbang log1} sets them for the learner's own runs when they are not set.
     */
    public static Path environmentFile(Path stateDir) {
        return stateDir.resolve("stack").resolve("environment");
    }

    public void write(Path stateDir) {
        Path file = file(stateDir);
        try {
            StringBuilder environment = new StringBuilder();
            endpoints().environment().forEach((name, value) -> environment.append(name).append('=').append(value).append('\n'));
            AtomicFiles.write(environmentFile(stateDir), environment.toString());
            AtomicFiles.write(file, JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The state of a stack whose process still runs; a leftover file of a dead one is removed. */
    public static Optional<StackState> readLive(Path stateDir) {
        Path file = file(stateDir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StackState state;
        try {
            state = JSON.readValue(file.toFile(), StackState.class);
        } catch (IOException e) {
            delete(stateDir); // unreadable: written by another version, or damaged
            return Optional.empty();
        }
        if (state.process().isEmpty()) {
            delete(stateDir);
            return Optional.empty();
        }
        return Optional.of(state);
    }

    public static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(file(stateDir));
            Files.deleteIfExists(environmentFile(stateDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
