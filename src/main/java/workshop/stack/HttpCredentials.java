package workshop.stack;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Room mode: the logins of a shared stack's HTTP services (Kafka Connect, the schema registry,
 * ksqlDB), as HTTP basic authentication. Named as Confluent's clients name the registry's
 * ({@code basic.auth.user.info=user:password}), prefixed by the service:
 * {@code connect.basic.auth.user.info} in stack.properties, {@code CONNECT_BASIC_AUTH_USER_INFO}
 * in the environment (and so for the exercises); likewise {@code schema.registry.} and {@code ksqldb.}.
 */
public final class HttpCredentials {

    private static final Map<Service, String> VARIABLES = Map.of(
            Service.CONNECT, "CONNECT_BASIC_AUTH_USER_INFO",
            Service.SCHEMA_REGISTRY, "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
            Service.KSQLDB, "KSQLDB_BASIC_AUTH_USER_INFO");

    private HttpCredentials() {
    }

    /** The environment variable with a service's {@code user:password}, e.g. CONNECT_BASIC_AUTH_USER_INFO; null for other services. */
    public static String variable(Service service) {
        return VARIABLES.get(service);
    }

    /** The user infos a stack's settings carry, by service; {@code setting} reads a variable (or its stack.properties key). */
    public static Map<Service, String> gather(Function<String, String> setting) {
        Map<Service, String> userInfos = new EnumMap<>(Service.class);
        VARIABLES.forEach((service, variable) -> {
            String userInfo = setting.apply(variable);
            if (userInfo != null && !userInfo.isBlank()) {
                if (!userInfo.contains(":")) {
                    throw new StackException(variable + " must be user:password (as basic.auth.user.info), not a user name alone.");
                }
                userInfos.put(service, userInfo.trim());
            }
        });
        return userInfos;
    }

    /** The request with an {@code Authorization: Basic ...} header when there is a user info; unchanged when null. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request, String userInfo) {
        return userInfo == null ? request : request.header("Authorization", basic(userInfo));
    }

    /** What to do when a service refused a request (HTTP 401 or 403), whether the stack's settings carry a login for it ({@code userInfo}) or not. */
    public static String hintWhenRefused(Service service, String userInfo) {
        String variable = variable(service);
        String key = variable.toLowerCase().replace('_', '.');
        return userInfo == null
                ? "The room's " + service.title() + " asks for a login, and the stack's settings carry none: put " + key
                + "=<user>:<password> (your instructor has it) in stack.properties, or set " + variable + "."
                : "The " + service.title() + " refused the login of " + key + " (or " + variable + "): check it, and what it may do, with your instructor.";
    }

    /**
     * One line for a service that refused a request with HTTP 401 or 403 ({@code status}): where,
     * and what to set, or to check when the settings carry a login ({@code userInfo}) already.
     */
    public static String refused(Service service, String url, int status, String userInfo) {
        String variable = variable(service);
        String key = variable.toLowerCase().replace('_', '.');
        return userInfo == null
                ? service.title() + " at " + url + " asked for a login (HTTP " + status + "): set " + variable
                + "=<user>:<password> (your instructor has it), or " + key + " in stack.properties."
                : service.title() + " at " + url + " refused the login of " + variable + " or " + key + " in stack.properties (HTTP "
                + status + "): check the user and password with your instructor.";
    }

    /** A registry login as Apicurio's serializers, deserializers and converter take it; none for null. */
    public static Map<String, String> apicurioSerdes(String userInfo) {
        if (userInfo == null) {
            return Map.of();
        }
        int colon = userInfo.indexOf(':');
        return Map.of("apicurio.auth.username", userInfo.substring(0, colon), "apicurio.auth.password", userInfo.substring(colon + 1));
    }

    /** A registry login as Confluent's serializers, deserializers and converter take it; none for null. */
    public static Map<String, String> confluentSerdes(String userInfo) {
        return userInfo == null ? Map.of() : Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", userInfo);
    }

    /** The value of the Authorization header for {@code user:password}. */
    public static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
