package dev.appointmentbridge.source.json;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.appointmentbridge.source.UrlValues;

/** A JSON source's URL templates: {@code {cursor}}, {@code {page}}, {@code {from}}, {@code {to}}, {@code {id}}. */
public final class UrlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(cursor|page|from|to|id)}");

    private UrlTemplate() {
    }

    /** Every {name} in a template is one this source fills, and the template is a URL once filled. */
    static void placeholders(String setting, String template, java.util.Set<String> known) {
        Matcher m = Pattern.compile("\\{([^}]*)}").matcher(template);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw new IllegalArgumentException(setting + ": {" + m.group(1) + "} is not a placeholder; it takes "
                        + known.stream().sorted().map(k -> "{" + k + "}").toList());
            }
        }
        try {
            URI.create(fill(template, Map.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + e.getMessage());
        }
    }

    /** The template with each placeholder URL-encoded; one not given is left empty. */
    public static String fill(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(UrlValues.encode(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
