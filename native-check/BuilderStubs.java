import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What NativeCheck needs from the GraalVM builder jars' class files, in place of what the native-image launcher
 * and GraalVM's own JDK bring: the --add-exports of the builder modules, a ProgressReporterCHelper without its
 * JNI library, and C header stubs for the builder's @CContext structs and constants. Compiled with NativeCheck
 * by the JDK's multi-file source launcher (JEP 458).
 */
final class BuilderStubs {
    /**
     * The launcher passes an --add-exports for every JDK-internal package the builder modules use (mx computes them from
     * the modules' requiresConcealed). Same result, read off the class files: each class a builder jar references in a
     * package that its JDK module does not export to everyone.
     */
    static List<String> concealedExports(List<Path> jars) throws IOException {
        var pkgToModule = new java.util.HashMap<String, java.lang.module.ModuleDescriptor>();
        for (var ref : java.lang.module.ModuleFinder.ofSystem().findAll())
            for (String pkg : ref.descriptor().packages()) pkgToModule.put(pkg, ref.descriptor());
        var exports = new java.util.TreeMap<String, Set<String>>();
        for (Path jar : jars) {
            var finder = java.lang.module.ModuleFinder.of(jar).findAll();
            if (finder.isEmpty()) continue;
            String self = finder.iterator().next().descriptor().name();
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (var e : java.util.Collections.list(jf.entries())) {
                    if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/")) continue;
                    java.lang.classfile.ClassModel cm;
                    try (InputStream in = jf.getInputStream(e)) {
                        cm = java.lang.classfile.ClassFile.of().parse(in.readAllBytes());
                    }
                    for (var pe : cm.constantPool()) {
                        if (!(pe instanceof java.lang.classfile.constantpool.ClassEntry ce)) continue;
                        String n = ce.asInternalName();
                        int slash = n.lastIndexOf('/');
                        if (n.startsWith("[") || slash < 0) continue;
                        String pkg = n.substring(0, slash).replace('/', '.');
                        var md = pkgToModule.get(pkg);
                        if (md == null || md.name().equals(self)) continue;
                        boolean open = md.exports().stream().anyMatch(x -> x.source().equals(pkg) && !x.isQualified());
                        if (!open) exports.computeIfAbsent(md.name() + "/" + pkg, k -> new java.util.TreeSet<>()).add(self);
                    }
                }
            }
        }
        List<String> flags = new ArrayList<>();
        exports.forEach((k, v) -> flags.add("--add-exports=" + k + "=" + String.join(",", v)));
        return flags;
    }

    /**
     * The builder's ProgressReporterCHelper loads JAVA_HOME/lib/svm/builder/lib/libreporterchelper.so, which only a
     * GraalVM distribution has (it is in no Maven artifact), and fails the build at the end without it. This stand-in,
     * put into the builder module with --patch-module, reads the peak RSS from /proc instead.
     */
    static Path cHelperStub(Path dir) throws IOException {
        Path src = dir.resolve("src/com/oracle/svm/hosted/ProgressReporterCHelper.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                        package com.oracle.svm.hosted;
                        public final class ProgressReporterCHelper {
                            static final int MAX_CHARACTERS_PER_LINE = 120;
                            private ProgressReporterCHelper() {}
                            public static int getTerminalWindowColumnsClamped() { return MAX_CHARACTERS_PER_LINE; }
                            public static int getTerminalWindowColumns() { return MAX_CHARACTERS_PER_LINE; }
                            public static long getPeakRSS() {
                                try {
                                    for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
                                        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                                } catch (Exception e) {
                                    // no /proc: no peak RSS line
                                }
                                return -1;
                            }
                        }
                        """);
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        if (rc != 0) throw new IOException("cannot compile " + src);
        return classes;
    }

    /**
     * Before analysis the builder compiles and runs small C programs (with the host gcc) to learn the layout of the
     * structs and the constants its own @CContext classes declare. Most come from system headers, but a few come from
     * headers that only a GraalVM distribution has (lib/svm/clibraries/.../include/amd64cpufeatures.h, svm_locale.h...).
     * This writes stand-ins for them, declared from the same @CStruct/@CField/@CConstant annotations the builder reads;
     * the values they give only matter for a linked image, never for the analysis.
     */
    static Path headerStubs(List<Path> jars, Path dir) throws IOException {
        var models = new java.util.HashMap<String, java.lang.classfile.ClassModel>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (var e : java.util.Collections.list(jf.entries())) {
                    if (!e.getName().endsWith(".class") || e.getName().contains("META-INF")) continue;
                    try (InputStream in = jf.getInputStream(e)) {
                        var cm = java.lang.classfile.ClassFile.of().parse(in.readAllBytes());
                        models.put(cm.thisClass().asInternalName(), cm);
                    }
                }
            }
        }
        var headers = new java.util.TreeMap<String, StringBuilder>();
        for (var cm : models.values()) {
            String ctx = annotationValue(annotations(cm), "Lorg/graalvm/nativeimage/c/CContext;", "value");
            var host = cm.findAttribute(java.lang.classfile.Attributes.nestHost());
            if (ctx == null && host.isPresent() && models.containsKey(host.get().nestHost().asInternalName()))
                ctx = annotationValue(annotations(models.get(host.get().nestHost().asInternalName())), "Lorg/graalvm/nativeimage/c/CContext;", "value");
            if (ctx == null || !models.containsKey(ctx.substring(1, ctx.length() - 1))) continue;
            var directives = models.get(ctx.substring(1, ctx.length() - 1));
            List<String> own = java.util.stream.StreamSupport.stream(directives.constantPool().spliterator(), false)
                            .filter(pe -> pe instanceof java.lang.classfile.constantpool.StringEntry).map(pe -> ((java.lang.classfile.constantpool.StringEntry) pe).stringValue())
                            .filter(v -> v.matches("include/[A-Za-z0-9_]+\\.h")).toList();
            if (own.size() != 1) continue; // directives that only use system headers
            StringBuilder h = headers.computeIfAbsent(own.get(0), k -> new StringBuilder());
            var struct = annotations(cm).stream().filter(a -> a.className().stringValue().equals("Lorg/graalvm/nativeimage/c/struct/CStruct;")).findFirst();
            if (struct.isPresent()) {
                String name = annotationValue(List.of(struct.get()), "Lorg/graalvm/nativeimage/c/struct/CStruct;", "value");
                if (name == null || name.isEmpty()) name = cm.thisClass().asInternalName().replaceFirst(".*[/$]", "");
                h.append("typedef struct ").append(name).append(" {\n");
                for (var m : cm.methods()) {
                    String field = annotationValue(annotations(m), "Lorg/graalvm/nativeimage/c/struct/CField;", "value");
                    if (field == null || m.methodTypeSymbol().parameterCount() != 0) continue; // getters only
                    if (field.isEmpty()) field = m.methodName().stringValue();
                    String t = switch (m.methodTypeSymbol().returnType().descriptorString()) {
                        case "Z", "B" -> "char";
                        case "S" -> "short";
                        case "I" -> "int";
                        case "J" -> "long";
                        case "F" -> "float";
                        case "D" -> "double";
                        default -> "void *";
                    };
                    h.append("  ").append(t).append(' ').append(field).append(";\n");
                }
                h.append("} ").append(name).append(";\n");
            }
            int n = 0;
            for (var m : cm.methods()) {
                String constant = annotationValue(annotations(m), "Lorg/graalvm/nativeimage/c/constant/CConstant;", "value");
                if (constant != null) h.append("#define ").append(constant.isEmpty() ? m.methodName().stringValue() : constant).append(' ').append(n++).append('\n');
            }
        }
        for (var e : headers.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, "/* generated by native-check: layout stand-in, not GraalVM's header */\n" + e.getValue());
        }
        return dir;
    }

    static List<java.lang.classfile.Annotation> annotations(java.lang.classfile.AttributedElement el) {
        return el.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations()).orElse(List.of());
    }

    /** The element's value as a string (class values as descriptors), "" for an annotation without it, null without the annotation. */
    static String annotationValue(List<java.lang.classfile.Annotation> annotations, String type, String element) {
        for (var a : annotations) {
            if (!a.className().stringValue().equals(type)) continue;
            for (var e : a.elements()) {
                if (!e.name().stringValue().equals(element)) continue;
                return switch (e.value()) {
                    case java.lang.classfile.AnnotationValue.OfClass c -> c.className().stringValue();
                    case java.lang.classfile.AnnotationValue.OfString str -> str.stringValue();
                    default -> e.value().toString();
                };
            }
            return "";
        }
        return null;
    }
}
