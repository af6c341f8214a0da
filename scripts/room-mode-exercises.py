#!/usr/bin/env python3
# Room mode (docs/instructor-guide.adoc, "One cluster for the room"): the mechanical edit that makes
# an exercise and its solution read a secured cluster's client settings (KAFKA_CLIENT_PROPERTIES)
# and prefix their default names with the learner's (WORKSHOP_LEARNER), and send Kafka Connect the
# room's login (CONNECT_BASIC_AUTH_USER_INFO). Idempotent: files that already mention
# WORKSHOP_LEARNER are left alone. Review the diff: a name read from another variable than those in
# NAMES and ENV_NAMES needs PREFIX by hand, and so does a client created without BOOTSTRAP_SERVERS_CONFIG.
# Usage: scripts/room-mode-exercises.py [module folders, e.g. 09-streams]   (default: 00-05, 08;
# applied since to 06, 07, 09, 11, 12 and 13)
import re, glob, sys, os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
NAMES = ["RATINGS_TOPIC", "CUSTOMERS_TOPIC", "HELLO_TOPIC", "READER_GROUP", "GROUP_ID", "SUBJECT", "UNHAPPY_TOPIC"]
# Read with the env(name, fallback) helper of modules 7 and 9-13: every *_TOPIC, and the names of
# Kafka Streams applications (application.id, which also starts their internal topics and
# transactional ids), connectors and CDC topic prefixes.
ENV_NAMES = r"\w+_TOPIC|APPLICATION_ID|GROUP_ID|CONNECTOR_NAME|CONNECTOR_PREFIX|\w+_SINK_NAME|SOURCE_NAME|TOPIC_PREFIX"
# A plain Admin of Kafka Streams applications' run(), which checks the broker answers.
ADMIN = "Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS))"
FIELDS = '''    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
'''
PREFIX = '''    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
'''
PREFIX_ONLY = '''    // Room mode (docs/instructor-guide.adoc): the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings-avro-value).
'''
# Kafka Connect's REST calls carry the room's Connect login, when there is one.
CONNECT_CALL = r"HttpRequest\.newBuilder\(URI\.create\(CONNECT_URL \+ ([^)]*)\)\)"
LOGIN = '''
    /** Room mode: Connect's login (CONNECT_BASIC_AUTH_USER_INFO=user:password), when the room's Connect asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("CONNECT_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
'''
METHOD = '''
    /** Room mode: the client settings in a properties file; none when no file is named. */
    static Properties clientSettings(String file) {
        Properties settings = new Properties();
        if (file != null) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
                settings.load(reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read KAFKA_CLIENT_PROPERTIES=" + file, e);
            }
        }
        return settings;
    }
}
'''
modules = sys.argv[1:] or ["0[0-58]-*"]
files = [f for d in ("exercises", "solutions") for m in modules for f in sorted(glob.glob(d + "/" + m + "/*.java"))]
for f in files:
    s = open(f).read()
    if "WORKSHOP_LEARNER" in s:
        continue
    clients = "BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);" in s or "BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS)" in s
    first = re.search(r"^    static final ", s, re.M)
    s = s[:first.start()] + (FIELDS + PREFIX if clients else PREFIX_ONLY + PREFIX) + s[first.start():]
    if clients:
        s = re.sub(r"^(\s*)(config\.put\(\w+Config\.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS\);)\n",
                   lambda m: m.group(1) + m.group(2) + "\n" + m.group(1) + "config.putAll(CLIENT_SETTINGS);\n", s, flags=re.M)
        end = s.rstrip().rfind("}")
        s = s[:end].rstrip() + "\n" + METHOD
    if ADMIN in s:
        s = re.sub(r"^(\s*)try \(Admin admin = " + re.escape(ADMIN) + r"\) \{\n",
                   lambda m: m.group(1) + "Properties adminConfig = new Properties();\n" + m.group(1) + "adminConfig.putAll(CLIENT_SETTINGS);\n"
                   + m.group(1) + "adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);\n"
                   + m.group(1) + "try (Admin admin = Admin.create(adminConfig)) {\n", s, flags=re.M)
        if not re.search(r"\bMap\b(?!\.<String, Object>of)", s.replace("import java.util.Map;", "")):
            s = s.replace("import java.util.Map;\n", "")
    s = re.sub(r'\benv\("(%s)", "' % ENV_NAMES, r'env("\1", PREFIX + "', s)
    if re.search(CONNECT_CALL, s):
        s = re.sub(CONNECT_CALL, r"withLogin(HttpRequest.newBuilder(URI.create(CONNECT_URL + \1)))", s)
        end = s.rstrip().rfind("}")
        s = s[:end].rstrip() + "\n" + LOGIN
    for name in NAMES:
        s = re.sub(r'getOrDefault\("%s", "' % name, 'getOrDefault("%s", PREFIX + "' % name, s)
    s = s.replace('getOrDefault("TOPICS", "ratings,customers").split(","))',
                  'getOrDefault("TOPICS", PREFIX + "ratings," + PREFIX + "customers").split(","))')
    if "import java.util.Properties;" not in s:
        s = s.replace("\nimport java.util.", "\nimport java.util.Properties;\nimport java.util.", 1) if clients else s
    open(f, "w").write(s)
    print("edited", f)
