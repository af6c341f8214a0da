package workshop.grading;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The jars that a program's {@code //DEPS} bring, picked from a larger classpath (the runner's,
 * which holds every library of every exercise, and Kafka's broker, Connect, JUnit...): what
 * JBang would put on the program's classpath. Each jar's POM, beside it in the local Maven
 * repository, says what it needs; the versions are the classpath's, as Maven chose them.
 *
 * <p>Why: a JVM finds an exercise's main class after looking through every jar before it, and
 * opening the runner's 225 jars costs a tenth of a CPU-second at each start (0.52 against
 * 0.41 CPU-s for a consumer that reads five records). A program that uses a library its file
 * does not declare now fails here as it would under JBang.
 *
 * <p>When a declared library, a POM or one of its names cannot be read, there is no answer
 * (empty): the caller keeps the whole classpath, slower but never missing a class.
 */
final class DeclaredJars {

    /** Scopes that reach a program's runtime classpath (none given means compile). */
    private static final Set<String> RUNTIME_SCOPES = Set.of("", "compile", "runtime");

    private final Map<String, List<Path>> jarsByArtifactId = new HashMap<>();
    /** Parsed POMs: parents (a project's, Jackson's, Apache's) are shared by many jars. */
    private final Map<Path, Optional<Element>> poms = new HashMap<>();
    private final List<Path> classpath;
    private final DocumentBuilder xml;

    private DeclaredJars(List<Path> classpath) throws ParserConfigurationException {
        this.classpath = classpath;
        for (Path jar : classpath) {
            Path version = jar.getParent();
            Path artifact = version == null ? null : version.getParent();
            if (artifact != null && jar.getFileName().toString().endsWith(".jar")) {
                jarsByArtifactId.computeIfAbsent(artifact.getFileName().toString(), a -> new ArrayList<>()).add(jar);
            }
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        this.xml = factory.newDocumentBuilder();
    }

    /**
     * @param coordinates {@code groupId:artifactId[:version[:classifier]]}, as in {@code //DEPS}
     * @return the jars they need, in the classpath's order; empty when that cannot be told
     */
    static Optional<List<Path>> of(List<String> coordinates, List<Path> classpath) {
        try {
            return new DeclaredJars(classpath).closure(coordinates);
        } catch (ParserConfigurationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<List<Path>> closure(List<String> coordinates) {
        Set<Path> needed = new HashSet<>();
        Deque<Path> toRead = new ArrayDeque<>();
        for (String coordinate : coordinates) {
            String[] parts = coordinate.split(":");
            if (parts.length < 2) {
                return Optional.empty();
            }
            Optional<Path> jar = find(parts[0], parts[1], parts.length > 3 ? parts[3] : "");
            if (jar.isEmpty()) {
                return Optional.empty(); // declared, yet not on this classpath
            }
            if (needed.add(jar.get())) {
                toRead.add(jar.get());
            }
        }
        while (!toRead.isEmpty()) {
            Optional<List<Dependency>> dependencies = dependenciesOf(toRead.poll());
            if (dependencies.isEmpty()) {
                return Optional.empty();
            }
            for (Dependency dependency : dependencies.get()) {
                // Not on the classpath: excluded, or a scope or an optional library Maven left out.
                find(dependency.groupId(), dependency.artifactId(), dependency.classifier())
                        .filter(needed::add)
                        .ifPresent(toRead::add);
            }
        }
        return Optional.of(classpath.stream().filter(needed::contains).toList());
    }

    private record Dependency(String groupId, String artifactId, String classifier) {
    }

    /** The jar of groupId:artifactId on the classpath, in the repository's layout: group/path/artifactId/version/artifactId-version[-classifier].jar. */
    private Optional<Path> find(String groupId, String artifactId, String classifier) {
        Path group = Path.of(groupId.replace('.', '/'));
        for (Path jar : jarsByArtifactId.getOrDefault(artifactId, List.of())) {
            String version = jar.getParent().getFileName().toString();
            String expected = artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
            Path groupFolder = jar.getParent().getParent().getParent();
            if (jar.getFileName().toString().equals(expected) && groupFolder != null && groupFolder.endsWith(group)) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }

    /** What the jar's POM and its parents' declare for runtime, or empty when a POM cannot be read. */
    private Optional<List<Dependency>> dependenciesOf(Path jar) {
        String version = jar.getParent().getFileName().toString();
        String artifactId = jar.getParent().getParent().getFileName().toString();
        Path pom = jar.resolveSibling(artifactId + "-" + version + ".pom");
        List<Dependency> all = new ArrayList<>();
        Map<String, String> properties = new HashMap<>();
        List<Element> chain = new ArrayList<>();
        // The POM, then its parents: their <dependencies> are inherited, their properties name groups.
        Set<Path> seen = new LinkedHashSet<>();
        while (pom != null && seen.add(pom)) {
            Element project = read(pom).orElse(null);
            if (project == null) {
                return Optional.empty();
            }
            chain.add(project);
            pom = parentPom(project, pom);
        }
        for (int i = chain.size() - 1; i >= 0; i--) { // the child's properties win
            Element project = chain.get(i);
            child(project, "properties").ifPresent(props -> children(props).forEach(p -> properties.put(p.getTagName(), p.getTextContent().trim())));
            String groupId = text(project, "groupId").or(() -> child(project, "parent").flatMap(p -> text(p, "groupId"))).orElse("");
            properties.put("project.groupId", groupId);
            properties.put("pom.groupId", groupId);
            properties.put("groupId", groupId);
            child(project, "parent").flatMap(p -> text(p, "groupId")).ifPresent(g -> properties.put("project.parent.groupId", g));
        }
        for (Element project : chain) {
            for (Element dependency : child(project, "dependencies").map(DeclaredJars::children).orElse(List.of())) {
                String scope = text(dependency, "scope").orElse("");
                if (!RUNTIME_SCOPES.contains(scope) || text(dependency, "optional").orElse("false").equals("true")) {
                    continue;
                }
                String groupId = resolve(text(dependency, "groupId").orElse(""), properties);
                String depArtifactId = resolve(text(dependency, "artifactId").orElse(""), properties);
                if (groupId.contains("${") || depArtifactId.contains("${") || groupId.isEmpty() || depArtifactId.isEmpty()) {
                    return Optional.empty(); // a name this reading cannot tell
                }
                all.add(new Dependency(groupId, depArtifactId, resolve(text(dependency, "classifier").orElse(""), properties)));
            }
        }
        return Optional.of(all);
    }

    /** The parent's POM in the same local repository, or null when there is none. */
    private static Path parentPom(Element project, Path pom) {
        Element parent = child(project, "parent").orElse(null);
        if (parent == null) {
            return null;
        }
        String groupId = text(parent, "groupId").orElse("");
        String artifactId = text(parent, "artifactId").orElse("");
        String version = text(parent, "version").orElse("");
        // pom is <root>/<group path>/<artifactId>/<version>/<file>: the root is above its group's folders.
        String ownGroup = text(project, "groupId").orElse(groupId);
        Path root = pom.getParent().getParent().getParent();
        for (int i = 0; i < ownGroup.split("\\.").length && root != null; i++) {
            root = root.getParent();
        }
        if (root == null) {
            return null;
        }
        return root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version).resolve(artifactId + "-" + version + ".pom");
    }

    private Optional<Element> read(Path pom) {
        return poms.computeIfAbsent(pom, this::parse);
    }

    private Optional<Element> parse(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        try {
            Document document = xml.parse(pom.toFile());
            return Optional.of(document.getDocumentElement());
        } catch (SAXException | IOException e) {
            return Optional.empty();
        }
    }

    private static String resolve(String value, Map<String, String> properties) {
        String resolved = value;
        for (int i = 0; i < 5 && resolved.contains("${"); i++) {
            int start = resolved.indexOf("${");
            int end = resolved.indexOf('}', start);
            if (end < 0) {
                break;
            }
            String name = resolved.substring(start + 2, end);
            String replacement = properties.get(name);
            if (replacement == null) {
                break;
            }
            resolved = resolved.substring(0, start) + replacement + resolved.substring(end + 1);
        }
        return resolved;
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst();
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim());
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
