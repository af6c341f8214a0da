package workshop.docs;

import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.ast.Document;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import workshop.manifest.Manifest;
import workshop.manifest.Module;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the documentation site (README, guides, cheat sheet, start page) and the reveal.js decks
 * of slides/ with AsciidoctorJ, into a folder that mirrors the repository's layout, so that the
 * same relative links work on GitHub and in the site. Every Asciidoctor warning, broken link,
 * missing image or anchor is a {@link #problems() problem}.
 *
 * <p>Run by DocsRenderTest (without reveal.js's assets) and by {@code mvn -Pdocs package}
 * (with the assets npm fetched): {@code DocsSite <root> <output> [<reveal.js assets>]}.
 */
public final class DocsSite implements AutoCloseable {

    /** The site's pages, in reading order after the README and start page. */
    private static final List<String> GUIDES = List.of("docs/index.adoc", "README.adoc", "docs/cheatsheet.adoc",
            "docs/instructor-guide.adoc", "docs/architecture.adoc", "docs/authoring.adoc");
    private static final String SLIDES = "slides";
    /** Where a deck's page looks for reveal.js, relative to the deck. */
    private static final String REVEAL_DIR = "reveal.js";

    private static final Pattern LINK = Pattern.compile("\\b(href|src|data-background-image)=\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");
    private static final Pattern BODY = Pattern.compile("<body[^>]*>");

    private final Path root;
    private final Path out;
    private final Manifest manifest;
    private final Asciidoctor asciidoctor;
    private final List<String> problems = new ArrayList<>();
    private final Map<Path, Document> decks = new LinkedHashMap<>();
    private Path current;

    public DocsSite(Path root, Path out) {
        this.root = root.toAbsolutePath().normalize();
        this.out = out.toAbsolutePath().normalize();
        this.manifest = Manifest.load(this.root.resolve(Manifest.FILE_NAME));
        // JRuby's compiler costs more than it saves in a run this short (about 20% of the CPU time).
        if (System.getProperty("jruby.compile.mode") == null) {
            System.setProperty("jruby.compile.mode", "OFF");
        }
        this.asciidoctor = Asciidoctor.Factory.create();
        asciidoctor.requireLibrary("asciidoctor-revealjs");
        asciidoctor.registerLogHandler(this::log);
    }

    public static void main(String[] args) throws IOException {
        // Exceptions, not System.exit: this runs inside Maven's JVM (exec:java).
        if (args.length < 2) {
            throw new IllegalArgumentException("Usage: DocsSite <workshop root> <output folder> [<reveal.js assets folder>]");
        }
        Path assets = args.length > 2 ? Path.of(args[2]) : null;
        try (DocsSite site = new DocsSite(Path.of(args[0]), Path.of(args[1]))) {
            site.render(assets);
            site.problems().forEach(problem -> System.err.println("ERROR " + problem));
            if (!site.problems().isEmpty()) {
                throw new IllegalStateException(site.problems().size() + " problem(s) in the docs or slides, listed above");
            }
            System.out.println("Site: " + site.out.resolve("index.html") + "  slides: " + site.out.resolve(SLIDES));
        }
    }

    /** Renders every page and deck, copies what they link to, then checks every link. */
    public void render(Path revealAssets) throws IOException {
        for (Path page : pages()) {
            String html = convert(page, htmlOptions(page));
            write(page, withNavigation(page, relinked(html)));
        }
        for (Path deck : deckSources()) {
            Document document = load(deck, slideOptions(deck));
            decks.put(deck, document);
            write(deck, relinked(document.convert()));
        }
        Files.writeString(out.resolve("index.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=docs/index.html">
                <title>The workshop</title></head><body><a href="docs/index.html">The workshop's start page</a></body></html>
                """, StandardCharsets.UTF_8);
        if (revealAssets != null) {
            copyTree(revealAssets, out.resolve(SLIDES).resolve(REVEAL_DIR));
        }
        checkLinks(revealAssets != null);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The decks' documents, as parsed: for checks of their structure. */
    public Map<Path, Document> decks() {
        return decks;
    }

    public Path output(Path source) {
        String name = root.relativize(source).toString().replace('\\', '/');
        return out.resolve(name.substring(0, name.length() - ".adoc".length()) + ".html");
    }

    private List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        GUIDES.forEach(guide -> pages.add(root.resolve(guide)));
        manifest.modules().stream().map(module -> root.resolve(module.guide())).filter(Files::isRegularFile).forEach(pages::add);
        // Companion guides of a module (e.g. 11-joins-ksqldb.adoc, the ksqlDB track), linked from its guide.
        try (Stream<Path> files = Files.list(root.resolve("docs/modules"))) {
            files.filter(file -> file.toString().endsWith(".adoc") && !pages.contains(file)).sorted().forEach(pages::add);
        }
        return pages;
    }

    private List<Path> deckSources() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(SLIDES))) {
            // Files starting with _ are included by the decks, not decks of their own.
            return files.filter(file -> file.getFileName().toString().matches("[^_].*\\.adoc")).sorted().toList();
        }
    }

    private Options htmlOptions(Path page) {
        return options(page, Attributes.builder()
                .attribute("icons!", "")            // font icons would come from a CDN
                .attribute("webfonts!", "")
                .attribute("source-highlighter", "rouge")
                .build(), "html5");
    }

    private Options slideOptions(Path deck) {
        return options(deck, Attributes.builder()
                .attribute("revealjsdir", REVEAL_DIR)
                .attribute("icons!", "")
                .attribute("webfonts!", "")
                .attribute("source-highlighter", "rouge")
                .build(), "revealjs");
    }

    private static Options options(Path source, Attributes attributes, String backend) {
        return Options.builder()
                .safe(SafeMode.SAFE)
                .baseDir(source.getParent().toFile())
                .backend(backend)
                .standalone(true)
                .toFile(false)
                .option("sourcemap", true)
                .attributes(attributes)
                .build();
    }

    private String convert(Path source, Options options) {
        current = source;
        try {
            return asciidoctor.convertFile(source.toFile(), options, String.class);
        } finally {
            current = null;
        }
    }

    private Document load(Path source, Options options) {
        current = source;
        try {
            return asciidoctor.loadFile(source.toFile(), options);
        } finally {
            current = null;
        }
    }

    private void log(LogRecord record) {
        // "possible invalid reference" is logged at INFO: a broken cross-reference all the same.
        if (record.getSeverity().compareTo(Severity.WARN) >= 0 || record.getMessage().contains("invalid reference")) {
            String where = record.getCursor() != null && record.getCursor().getFile() != null
                    ? record.getCursor().getFile() + ":" + record.getCursor().getLineNumber()
                    : current == null ? "asciidoctor" : root.relativize(current).toString();
            problems.add(where + ": " + record.getSeverity() + " " + record.getMessage());
        }
    }

    /** Links between .adoc files (right on GitHub) point at the rendered pages in the site. */
    private static String relinked(String html) {
        Matcher link = LINK.matcher(html);
        StringBuilder result = new StringBuilder();
        while (link.find()) {
            String target = link.group(2);
            if (local(target)) {
                target = target.replaceFirst("\\.adoc(#|$)", ".html$1");
            }
            link.appendReplacement(result, Matcher.quoteReplacement(link.group(1) + "=\"" + target + "\""));
        }
        return link.appendTail(result).toString();
    }

    /** A bar on top of every page: the start page, the modules in order, the references. */
    private String withNavigation(Path page, String html) {
        Path from = output(page).getParent();
        StringBuilder nav = new StringBuilder("<nav class=\"workshop-nav\" style=\"font:14px/1.6 sans-serif;padding:.4em 1em;"
                + "background:#1f3b57;color:#fff\">");
        nav.append(navLink(from, "docs/index.adoc", "Start")).append(" · ");
        nav.append(navLink(from, "README.adoc", "README")).append(" · Modules:");
        for (Module module : manifest.modules()) {
            if (Files.isRegularFile(root.resolve(module.guide()))) {
                nav.append(' ').append(navLink(from, module.guide(), module.number() + " " + module.title()));
            }
        }
        nav.append(" · ").append(navLink(from, "docs/cheatsheet.adoc", "Cheat sheet"))
                .append(" · ").append(navLink(from, "docs/index.adoc#_the_slides", "Slides"))
                .append(" · ").append(navLink(from, "docs/instructor-guide.adoc", "Instructors"))
                .append("</nav>");
        Matcher body = BODY.matcher(html);
        if (!body.find()) {
            problems.add(root.relativize(page) + ": no <body> to put the navigation in");
            return html;
        }
        return html.substring(0, body.end()) + nav + html.substring(body.end());
    }

    private String navLink(Path from, String source, String text) {
        String[] fileAndAnchor = source.split("#", 2);
        String href = from.relativize(output(root.resolve(fileAndAnchor[0]))).toString().replace('\\', '/')
                + (fileAndAnchor.length > 1 ? "#" + fileAndAnchor[1] : "");
        return "<a style=\"color:#fff;text-decoration:none;margin:0 .15em\" href=\"" + href + "\">" + text.replace("&", "&amp;").replace("<", "&lt;") + "</a>";
    }

    private void write(Path source, String html) throws IOException {
        Path target = output(source);
        Files.createDirectories(target.getParent());
        Files.writeString(target, html, StandardCharsets.UTF_8);
    }

    /**
     * Every local link and image of every page must resolve: to a rendered page (and its anchor),
     * or to a file of the repository, which is copied into the site at the same place.
     */
    private void checkLinks(boolean withRevealAssets) throws IOException {
        List<Path> rendered;
        try (Stream<Path> files = Files.walk(out)) {
            rendered = files.filter(file -> file.toString().endsWith(".html") && !file.startsWith(out.resolve(SLIDES).resolve(REVEAL_DIR))).toList();
        }
        for (Path page : rendered) {
            String html = Files.readString(page, StandardCharsets.UTF_8);
            Matcher link = LINK.matcher(html);
            while (link.find()) {
                String target = link.group(2).replace("&amp;", "&");
                if (!local(target) || target.isEmpty()) {
                    continue;
                }
                if (!withRevealAssets && target.startsWith(REVEAL_DIR + "/")) {
                    continue; // the test renders without reveal.js's assets
                }
                String where = out.relativize(page) + ": " + link.group(1) + "=\"" + target + "\"";
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(out)) {
                    problems.add(where + " leaves the site");
                    continue;
                }
                if (!Files.exists(resolved) && !copyFromRepository(resolved)) {
                    problems.add(where + ": no such page or file");
                    continue;
                }
                if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".html") && !ids(resolved).contains(anchor)) {
                    problems.add(where + ": no anchor #" + anchor + " there");
                }
            }
        }
    }

    private boolean copyFromRepository(Path inSite) throws IOException {
        Path source = root.resolve(out.relativize(inSite).toString());
        if (!Files.isRegularFile(source) || source.toString().endsWith(".adoc")) {
            return false;
        }
        Files.createDirectories(inSite.getParent());
        Files.copy(source, inSite, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    private final Map<Path, List<String>> idsByPage = new LinkedHashMap<>();

    private List<String> ids(Path page) {
        return idsByPage.computeIfAbsent(page, file -> {
            try {
                Matcher id = ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
                List<String> ids = new ArrayList<>();
                while (id.find()) {
                    ids.add(id.group(1));
                }
                return ids;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static boolean local(String target) {
        return !target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !target.startsWith("//");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("No reveal.js assets in " + from + " (mvn -Pdocs fetches them with npm)");
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void close() {
        asciidoctor.close();
    }
}
