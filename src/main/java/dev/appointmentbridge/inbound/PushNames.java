package dev.appointmentbridge.inbound;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A pushed event's own name ({@code event_type} of a Canvas or Clockwise push). Names that map to no canonical
 * type are stored and listed as {@code <adapter>.<name>}, never delivered, so they are held to a plain shape.
 */
final class PushNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private PushNames() {
    }

    static String name(JsonNode node, List<String> loc, FieldChecks checks) {
        String name = checks.text(node, loc, 1, 64, true);
        if (name != null && !NAME.matcher(name).matches()) {
            checks.add(loc, "Input should be an event name: lower-case letters, digits, '_', '.' or '-', at most 64",
                    "string_pattern_mismatch");
            return null;
        }
        return name;
    }
}
