package workshop;

import org.asciidoctor.ast.Document;
import org.asciidoctor.ast.StructuralNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import workshop.docs.DocsSite;
import workshop.manifest.Exercise;
import workshop.manifest.Manifest;
import workshop.manifest.Module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The documentation site and the slides render with no Asciidoctor warning, no broken link, image
 * or anchor; every module of workshop.yaml has its section in the decks, whose last slide names
 * the module's exercises and the command to run; every slide has speaker notes that start with
 * its minutes, and a module's minutes add up to the instructor guide's agenda.
 */
class DocsRenderTest {

    private static final Path ROOT = WorkshopRoot.find();
    private static final Manifest MANIFEST = Manifest.load(ROOT.resolve(Manifest.FILE_NAME));
    /** Speaker notes begin with the slide's minutes: "3 min. Show the picture...". */
    private static final Pattern MINUTES = Pattern.compile("^\\s*(\\d+) min\\b");
    /** A row of the agenda table: | number | module | minutes | exercises. */
    private static final Pattern AGENDA_ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|[^|]*\\|\\s*(\\d+)\\s*\\|");
    private static final String MODULE_ID_PREFIX = "module-";

    private static DocsSite site;
    private static Path out;
    private static List<Slide> slides;

    /** One slide: its deck, its id, the module it belongs to, its visible text and its notes. */
    record Slide(String deck, String title, String module, String text, String notes) {
        String where() {
            return deck + ": \"" + title + "\"";
        }
    }

    @BeforeAll
    static void render() throws IOException {
        out = ROOT.resolve("target").resolve("docs-render-test");
        org.apache.commons.io.FileUtils.deleteDirectory(out.toFile());
        site = new DocsSite(ROOT, out);
        site.render(null);
        slides = slides(site.decks());
    }

    @AfterAll
    static void close() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void siteAndSlidesRenderWithoutWarningsOrBrokenLinks() {
        assertEquals(List.of(), site.problems(), "Asciidoctor warnings, broken links, missing images or anchors");
        assertTrue(Files.isRegularFile(out.resolve("docs/index.html")), "the start page");
    }

    @Test
    void everyModuleHasItsDeckSection() {
        List<String> sections = slides.stream().map(Slide::module).distinct().toList();
        List<String> modules = MANIFEST.modules().stream().map(Module::id).toList();
        assertEquals(modules, sections, "the decks' module sections ([#module-<id>]), in the manifest's order");
    }

    @Test
    void everyModuleEndsOnItsExercisesAndTheCommandToRun() {
        for (Module module : MANIFEST.modules()) {
            List<Slide> section = slides.stream().filter(slide -> slide.module().equals(module.id())).toList();
            if (section.isEmpty()) {
                continue; // everyModuleHasItsDeckSection names it
            }
            Slide last = section.get(section.size() - 1);
            for (Exercise exercise : module.exercises()) {
                assertTrue(Pattern.compile("(?<![\\w-])" + Pattern.quote(exercise.id()) + "(?![\\w-])").matcher(last.text()).find(),
                        last.where() + ", the last slide of module " + module.id() + ", must name exercise " + exercise.id());
            }
            assertTrue(last.text().contains("./jbang workshop"), last.where() + " must show the command to run");
        }
    }

    @Test
    void everySlideHasSpeakerNotesWithItsMinutes() {
        for (Slide slide : slides) {
            assertTrue(MINUTES.matcher(slide.notes()).find(),
                    slide.where() + " needs speaker notes ([.notes]) that start with its minutes, e.g. \"3 min. ...\"; found: " + slide.notes());
        }
    }

    @Test
    void minutesAddUpToTheInstructorGuidesAgenda() throws IOException {
        Map<Integer, Integer> agenda = agenda();
        assertEquals(MANIFEST.modules().size(), agenda.size(), "one agenda row per module in docs/instructor-guide.adoc: " + agenda);
        for (Module module : MANIFEST.modules()) {
            int minutes = slides.stream().filter(slide -> slide.module().equals(module.id()))
                    .mapToInt(slide -> minutes(slide.notes())).sum();
            assertEquals(agenda.get(module.number()), minutes,
                    "minutes in the speaker notes of module " + module.number() + " (" + module.id() + ") against the instructor guide's agenda");
        }
    }

    @Test
    void theStartPageLinksEveryGuideInModuleOrder() throws IOException {
        String start = Files.readString(out.resolve("docs/index.html"), StandardCharsets.UTF_8);
        start = start.substring(start.indexOf("</nav>")); // the page itself, not the navigation bar
        int previous = -1;
        for (Module module : MANIFEST.modules()) {
            if (!Files.isRegularFile(ROOT.resolve(module.guide()))) {
                continue;
            }
            String href = "href=\"" + Path.of("docs").relativize(Path.of(module.guide())).toString().replace('\\', '/').replace(".adoc", ".html") + "\"";
            int at = start.indexOf(href);
            assertTrue(at > previous, "docs/index.adoc must link " + module.guide() + " after the guides of the modules before it");
            previous = at;
        }
    }

    /** Minutes per module number, from the agenda table of the instructor guide. */
    private static Map<Integer, Integer> agenda() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/instructor-guide.adoc"), StandardCharsets.UTF_8);
        int start = lines.indexOf("== The agenda");
        assertTrue(start >= 0, "docs/instructor-guide.adoc has a section \"== The agenda\"");
        Map<Integer, Integer> minutes = new LinkedHashMap<>();
        int tables = 0;
        for (String line : lines.subList(start, lines.size())) {
            if (line.equals("|===") && ++tables == 2) {
                break; // the end of the first table
            }
            Matcher row = AGENDA_ROW.matcher(line);
            if (row.find()) {
                minutes.put(Integer.parseInt(row.group(1)), Integer.parseInt(row.group(2)));
            }
        }
        return minutes;
    }

    private static int minutes(String notes) {
        Matcher minutes = MINUTES.matcher(notes);
        return minutes.find() ? Integer.parseInt(minutes.group(1)) : 0;
    }

    /**
     * The slides of every deck, in order: the title slide, then each level-2 section. A section
     * with the id module-&lt;id&gt; starts that module; the slides before a deck's first module
     * section belong to that module.
     */
    private static List<Slide> slides(Map<Path, Document> decks) {
        List<Slide> all = new ArrayList<>();
        for (Map.Entry<Path, Document> deck : decks.entrySet()) {
            String name = ROOT.relativize(deck.getKey()).toString();
            Document document = deck.getValue();
            List<String[]> parts = new ArrayList<>(); // id, title, text, notes
            StringBuilder titleText = new StringBuilder(document.getDoctitle());
            StringBuilder titleNotes = new StringBuilder();
            List<StructuralNode> sections = new ArrayList<>();
            for (StructuralNode block : document.getBlocks()) {
                if ("section".equals(block.getContext())) {
                    sections.add(block);
                } else {
                    collect(block, titleText, titleNotes);
                }
            }
            parts.add(new String[] {null, document.getDoctitle(), titleText.toString(), titleNotes.toString()});
            for (StructuralNode section : sections) {
                StringBuilder text = new StringBuilder(section.getTitle());
                StringBuilder notes = new StringBuilder();
                section.getBlocks().forEach(block -> collect(block, text, notes));
                parts.add(new String[] {section.getId(), section.getTitle(), text.toString(), notes.toString()});
            }
            String first = parts.stream().map(part -> part[0]).filter(id -> id != null && id.startsWith(MODULE_ID_PREFIX))
                    .findFirst().orElseGet(() -> fail(name + " has no module section ([#module-<id>])"));
            String module = first.substring(MODULE_ID_PREFIX.length());
            for (String[] part : parts) {
                if (part[0] != null && part[0].startsWith(MODULE_ID_PREFIX)) {
                    module = part[0].substring(MODULE_ID_PREFIX.length());
                }
                all.add(new Slide(name, part[1], module, part[2], part[3]));
            }
        }
        return all;
    }

    /** Adds a block's text to the slide's text, or to its notes when it is a [.notes] block. */
    private static void collect(StructuralNode block, StringBuilder text, StringBuilder notes) {
        if ("preamble".equals(block.getContext())) {
            block.getBlocks().forEach(child -> collect(child, text, notes));
            return;
        }
        String html = block.convert();
        String plain = html.replaceAll("<[^>]+>", " ").replace("&#8217;", "'").replace("&amp;", "&").replaceAll("\\s+", " ").trim();
        (block.hasRole("notes") ? notes : text).append(' ').append(plain);
    }
}
