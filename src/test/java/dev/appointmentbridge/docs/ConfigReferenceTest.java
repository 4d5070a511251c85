package dev.appointmentbridge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/** docs/configuration.md names every {@code bridge.*} key that a {@code @ConfigMapping} defines. */
class ConfigReferenceTest {

    @Test
    void everyBridgeKeyIsInTheConfigurationReference() throws Exception {
        String reference = Files.readString(Path.of("docs/configuration.md"));
        List<String> keys = keys();
        List<String> missing = keys.stream().filter(k -> !documented(reference, k)).toList();
        assertEquals(List.of(), missing, "keys missing from docs/configuration.md (of " + keys.size() + ")");
    }

    /** Every bridge.* key, with {@code <name>} for map keys, e.g. bridge.sources.<name>.base-url. */
    static List<String> keys() throws IOException, ClassNotFoundException {
        List<String> keys = new ArrayList<>();
        for (Class<?> mapping : mappings()) {
            collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), keys);
        }
        return keys;
    }

    /** As `full.key`, or as `.leaf` on a row that starts with a sibling key (`a.b.x` / `.y`). */
    private static boolean documented(String reference, String key) {
        if (reference.contains("`" + key + "`")) {
            return true;
        }
        String parent = key.substring(0, key.lastIndexOf('.') + 1);
        String leaf = key.substring(key.lastIndexOf('.'));
        return reference.lines().anyMatch(l -> l.startsWith("| `" + parent) && l.contains("`" + leaf + "`"));
    }

    private static void collect(Class<?> group, String prefix, List<String> keys) {
        for (Method m : group.getMethods()) {
            if (m.isDefault() || m.getParameterCount() > 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value()
                    : kebab(m.getName());
            String key = m.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
            Type type = m.getGenericReturnType();
            if (m.getReturnType() == Map.class) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                if (value instanceof Class<?> c && c.isInterface()) {
                    collect(c, key + ".<name>", keys);
                } else {
                    keys.add(key + ".\"Name\"");
                }
            } else if (m.getReturnType().isInterface() && m.getReturnType().getPackageName().startsWith("dev.")) {
                collect(m.getReturnType(), key, keys);
            } else if (m.getReturnType() == java.util.Optional.class
                    && ((ParameterizedType) type).getActualTypeArguments()[0] instanceof Class<?> c
                    && c.isInterface() && c.getPackageName().startsWith("dev.")) {
                collect(c, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static List<Class<?>> mappings() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ConfigReferenceTest.class.getClassLoader());
                if (c.isAnnotationPresent(ConfigMapping.class)) {
                    found.add(c);
                }
            }
        }
        assertEquals(1, found.size(), "one configuration root: " + found);
        return found;
    }
}
