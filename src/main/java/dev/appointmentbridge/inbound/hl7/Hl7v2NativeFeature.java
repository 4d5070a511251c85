package dev.appointmentbridge.inbound.hl7;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

/**
 * HAPI HL7v2 builds messages, groups, segments and data types by reflection (a class name from the message's
 * version and structure, then its constructor), which a native executable only allows for registered classes.
 * Registered at image build time: every v2.5 segment and data type, the SIU groups and messages and ACK (what the
 * intake parses into and answers with), and HAPI's generic classes for what it does not know. Named in
 * {@code quarkus.native.additional-build-args}; found missing by the native smoke suite (an SIU answered
 * "Failed to instantiate type ca.uhn.hl7v2.model.GenericMessage.UnknownVersion").
 */
public class Hl7v2NativeFeature implements Feature {

    private static final String V25 = "ca/uhn/hl7v2/model/v25/";

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        List<Class<?>> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(Path.of(ca.uhn.hl7v2.model.v25.message.SIU_S12.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()).toFile())) {
            jar.stream().map(e -> e.getName()).filter(Hl7v2NativeFeature::used)
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .forEach(n -> classes.add(access.findClassByName(n)));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the HAPI v2.5 structures jar", e);
        }
        for (String generic : List.of("ca.uhn.hl7v2.model.GenericMessage$UnknownVersion",
                "ca.uhn.hl7v2.model.GenericMessage$V25", "ca.uhn.hl7v2.model.GenericSegment",
                "ca.uhn.hl7v2.model.GenericComposite", "ca.uhn.hl7v2.model.GenericPrimitive",
                "ca.uhn.hl7v2.model.GenericGroup", "ca.uhn.hl7v2.model.Varies")) {
            classes.add(access.findClassByName(generic));
        }
        for (Class<?> c : classes) {
            if (c != null) {
                RuntimeReflection.register(c);
                RuntimeReflection.register(c.getDeclaredConstructors());
                RuntimeReflection.register(c.getMethods());
            }
        }
    }

    private static boolean used(String entry) {
        if (!entry.endsWith(".class") || !entry.startsWith(V25)) {
            return false;
        }
        String name = entry.substring(V25.length());
        return name.startsWith("segment/") || name.startsWith("datatype/") || name.startsWith("group/SIU_")
                || name.startsWith("message/SIU_") || name.equals("message/ACK.class");
    }
}
