package workshop.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code slides}: renders the decks and the documentation site (Maven's docs profile, which
 * fetches reveal.js with npm) and serves them on localhost until Ctrl-C.
 */
@Command(name = "slides", description = "Build the slides and the documentation site, and serve them on localhost (Ctrl-C stops).")
public final class SlidesCommand implements Callable<Integer> {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css", "js", "text/javascript", "svg", "image/svg+xml",
            "png", "image/png", "jpg", "image/jpeg", "woff", "font/woff", "woff2", "font/woff2", "ttf", "font/ttf");

    @ParentCommand
    Workshop workshop;

    @Option(names = "--port", description = "Port on localhost (default: ${DEFAULT-VALUE}).", defaultValue = "8000")
    int port;

    @Option(names = "--no-build", description = "Serve what target/site holds, without building it again.")
    boolean noBuild;

    @Override
    public Integer call() throws Exception {
        WorkshopContext context = workshop.context();
        Path site = context.root().resolve("target").resolve("site");
        if (!noBuild && !build(context)) {
            return 1;
        }
        if (!Files.isRegularFile(site.resolve("index.html"))) {
            context.terminal().println("No site in target/site: run ./jbang workshop slides without --no-build.");
            return 1;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            context.terminal().println("Port " + port + " is in use: choose another with --port.");
            return 1;
        }
        server.createContext("/", exchange -> serve(site, exchange));
        server.start();
        String base = "http://localhost:" + port + "/";
        context.terminal().println("Slides: " + base + "slides/01-foundations.html   (s: speaker notes, with each slide's minutes)");
        context.terminal().println("Site:   " + base + "docs/index.html");
        context.terminal().println("Ctrl-C stops.");
        new CountDownLatch(1).await();
        return 0;
    }

    /** mvn -Pdocs prepare-package: renders into target/site without rebuilding the runner's jar. */
    private static boolean build(WorkshopContext context) throws InterruptedException {
        String mvn = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "mvn.cmd" : "mvn";
        context.terminal().println("Building the slides and the site with Maven (reveal.js comes from npm)...");
        try {
            Process maven = new ProcessBuilder(List.of(mvn, "-B", "-q", "-Pdocs", "prepare-package", "-DskipTests"))
                    .directory(context.root().toFile()).inheritIO().start();
            if (maven.waitFor() != 0) {
                context.terminal().println("Maven could not build the slides (see above).");
                return false;
            }
            return true;
        } catch (IOException e) {
            context.terminal().println("Building the slides needs Maven (mvn) on the PATH.");
            return false;
        }
    }

    private static void serve(Path site, HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = site.resolve(path.substring(1)).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
        }
    }
}
