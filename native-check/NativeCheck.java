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
 * GraalVM native-image points-to analysis without a GraalVM distribution: the builder comes from Maven Central
 * (org.graalvm.nativeimage:svm, org.graalvm.compiler:compiler) and runs on a stock JDK 25 with JVMCI.
 *
 * Does the part of the `native-image` launcher that Quarkus' native-image.args relies on: the `--xyz` API options
 * become -H: options, -J options go to the builder JVM, -jar gives the main class and Class-Path, and every
 * META-INF/native-image/** of the image class path is applied (native-image.properties Args/JavaArgs and the
 * *-config.json / reachability-metadata.json files, minus --exclude-config). Then it starts
 * NativeImageGeneratorRunner with -H:+ReturnAfterAnalysis and exits with its status. An option it does not know
 * stops it (exit 2) rather than being dropped.
 *
 * Run with JDK 25: java NativeCheck.java GRAAL_JAR_DIR NATIVE_SOURCES_DIR WORK_DIR [extra native-image options...]
 * Env NATIVE_CHECK_XMX (default 7g) sets the builder heap.
 */
public class NativeCheck {
    static final List<String> jvm = new ArrayList<>();
    static final List<String> hosted = new ArrayList<>();
    static final Set<Path> imageCp = new LinkedHashSet<>();
    static final List<Pattern[]> excludes = new ArrayList<>();
    static String imageName, mainClass;
    static Path workDir;

    public static void main(String[] argv) throws Exception {
        Path graalDir = Path.of(argv[0]).toAbsolutePath();
        workDir = Path.of(argv[1]).toAbsolutePath();
        Path out = Path.of(argv[2]).toAbsolutePath();
        // Quarkus writes native-image.args as one line, arguments separated by single spaces (none contains one)
        Deque<String> args = new ArrayDeque<>(List.of(Files.readString(workDir.resolve("native-image.args")).trim().split("\\s+")));
        while (!args.isEmpty()) option(args.poll(), args, "native-image.args");
        Deque<String> extra = new ArrayDeque<>(List.of(argv).subList(3, argv.length));
        while (!extra.isEmpty()) option(extra.poll(), extra, "command line");
        // META-INF/native-image of every image class path entry (the launcher's NativeImageMetaInfWalker)
        for (Path entry : List.copyOf(imageCp)) metaInf(entry);

        List<Path> graal = jars(graalDir);
        String compiler = graal.stream().filter(p -> p.getFileName().toString().startsWith("compiler-")).map(Path::toString).collect(Collectors.joining(":"));
        String modulePath = graal.stream().filter(p -> !p.getFileName().toString().startsWith("compiler-")).map(Path::toString).collect(Collectors.joining(":"));
        Files.createDirectories(out);
        // the GraalVM version, from the svm jar's name: Quarkus' features read it from org.graalvm.vendorversion
        String version = graal.stream().map(j -> j.getFileName().toString()).filter(n -> n.matches("svm-[0-9.]+\\.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no svm-<version>.jar in " + graalDir)).replaceAll("svm-|\\.jar", "");
        String buildId = UUID.nameUUIDFromBytes(String.join(" ", hosted).getBytes()).toString();

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler", "-XX:+UseParallelGC",
                        "-Xss10m", "-Xmx" + System.getenv().getOrDefault("NATIVE_CHECK_XMX", "7g"), "-Xshare:off",
                        "-Djava.awt.headless=true", "-Dorg.graalvm.version=" + version, "-Dorg.graalvm.vendorversion=GraalVM CE " + version,
                        "-Dorg.graalvm.vendor=GraalVM Community", "-Dcom.oracle.graalvm.isaot=true",
                        "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                        "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                        "-Djdk.internal.lambda.disableEagerInitialization=true", "-Djdk.internal.lambda.eagerlyInitialize=false",
                        "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
                        "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1", "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false",
                        "--enable-native-access=ALL-UNNAMED,org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,jdk.graal.compiler",
                        "--add-modules=ALL-DEFAULT", "--upgrade-module-path", compiler, "--module-path", modulePath));
        cmd.add("--patch-module=org.graalvm.nativeimage.builder=" + cHelperStub(out.resolve("patch")));
        cmd.addAll(concealedExports(graal));
        cmd.addAll(jvm);
        cmd.addAll(List.of("--module", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner"));
        // the builder exits when this process is gone (as under the native-image launcher)
        cmd.addAll(List.of("-keepalive", "/proc/" + ProcessHandle.current().pid() + "/comm"));
        cmd.addAll(List.of("-imagecp", imageCp.stream().map(Path::toString).collect(Collectors.joining(":"))));
        cmd.add("-H:Path=" + out);
        cmd.add("-H:Class=" + mainClass);
        cmd.add("-H:Name=" + imageName);
        cmd.addAll(hosted);
        cmd.add("-H:CLibraryPath=" + headerStubs(graal, out.resolve("clibraries")));
        cmd.add("-H:ImageBuildID=" + buildId);
        cmd.add("-H:+ReturnAfterAnalysis");
        if (System.getenv("NATIVE_CHECK_VERBOSE") != null) System.err.println(String.join(" \\\n  ", cmd));
        Process p = new ProcessBuilder(cmd).directory(out.toFile()).inheritIO().start();
        System.exit(p.waitFor());
    }

    static void option(String a, Deque<String> rest, String origin) throws IOException {
        if (a.startsWith("-J")) jvm.add(a.substring(2));
        else if (a.startsWith("-H:") || a.startsWith("-R:")) hosted.add(a);
        else if (a.startsWith("-D")) jvm.add(a);
        else if (a.equals("-jar")) jar(workDir.resolve(rest.poll()));
        else if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) for (String e : rest.poll().split(":")) imageCp.add(workDir.resolve(e).normalize());
        else if (a.equals("-o")) imageName = rest.poll();
        else if (a.equals("--exclude-config")) excludes.add(new Pattern[] {Pattern.compile(rest.poll()), Pattern.compile(rest.poll())});
        else if (a.equals("--no-fallback")) hosted.add("-H:FallbackThreshold=0");
        else if (a.equals("--enable-http") || a.equals("--enable-https")) hosted.add("-H:EnableURLProtocols=" + a.substring(9));
        else if (a.equals("--enable-all-security-services")) hosted.add("-H:+EnableAllSecurityServices");
        else if (a.equals("--verbose") || a.equals("--strict-image-heap") || a.equals("--report-unsupported-elements-at-runtime") || a.equals("--allow-incomplete-classpath")) {
            // no effect any more in 25 (deprecated API options) or launcher-only
        } else if (a.startsWith("--initialize-at-build-time") || a.startsWith("--initialize-at-run-time")) {
            String suffix = a.startsWith("--initialize-at-build-time") ? ":build_time" : ":run_time";
            String v = value(a);
            hosted.add("-H:ClassInitialization=" + (v.isEmpty() ? suffix : Stream.of(v.split(",")).map(c -> c + suffix).collect(Collectors.joining(","))));
        } else if (a.startsWith("--features=")) hosted.add("-H:Features=" + value(a));
        else if (a.startsWith("--link-at-build-time-paths=")) hosted.add("-H:LinkAtBuildTimePaths=" + value(a));
        else if (a.startsWith("--link-at-build-time")) hosted.add("-H:LinkAtBuildTime=" + value(a));
        else if (a.startsWith("--enable-url-protocols=")) hosted.add("-H:EnableURLProtocols=" + value(a));
        else if (a.startsWith("--enable-monitoring")) hosted.add("-H:EnableMonitoringFeatures=" + (a.contains("=") ? value(a) : "all"));
        else if (a.startsWith("--enable-native-access")) hosted.add("-H:EnableNativeAccess=" + (a.contains("=") ? value(a) : rest.poll()));
        else if (a.startsWith("--add-exports") || a.startsWith("--add-opens") || a.startsWith("--add-reads")) {
            String name = a.startsWith("--add-exports") ? "AddExports" : a.startsWith("--add-opens") ? "AddOpens" : "AddReads";
            hosted.add("-H:" + name + "=" + (a.contains("=") ? value(a) : rest.poll()));
        } else if (a.startsWith("--parallelism=")) hosted.add("-H:NumberOfThreads=" + value(a));
        else if (a.startsWith("-march=")) hosted.add("-H:MicroArchitecture=" + value(a));
        else if (a.startsWith("-O") && a.length() > 2) hosted.add("-H:Optimize=" + a.substring(2));
        else if (a.startsWith("-")) {
            System.err.println("native-check: unsupported native-image option '" + a + "' (from " + origin + "); teach NativeCheck.java its -H: form");
            System.exit(2);
        } else if (imageName == null) imageName = a; // positional image name
        else {
            System.err.println("native-check: unexpected argument '" + a + "' (from " + origin + ")");
            System.exit(2);
        }
    }

    static String value(String a) {
        int eq = a.indexOf('=');
        return eq < 0 ? "" : a.substring(eq + 1);
    }

    static void jar(Path jar) throws IOException {
        imageCp.add(jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            var attrs = jf.getManifest().getMainAttributes();
            mainClass = attrs.getValue("Main-Class");
            String cp = attrs.getValue("Class-Path");
            if (cp != null) for (String e : cp.trim().split(" +")) imageCp.add(jar.getParent().resolve(e).normalize());
            String opens = attrs.getValue("Add-Opens");
            if (opens != null) for (String o : opens.trim().split(" +")) hosted.add("-H:AddOpens=" + o + "=ALL-UNNAMED");
            String exports = attrs.getValue("Add-Exports");
            if (exports != null) for (String o : exports.trim().split(" +")) hosted.add("-H:AddExports=" + o + "=ALL-UNNAMED");
        }
        if (imageName == null) imageName = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    static final List<String[]> CONFIG_FILES = List.of(
                    new String[] {"reachability-metadata.json", "ReachabilityMetadataResources"},
                    new String[] {"jni-config.json", "JNIConfigurationResources"},
                    new String[] {"reflect-config.json", "ReflectionConfigurationResources"},
                    new String[] {"resource-config.json", "ResourceConfigurationResources"},
                    new String[] {"proxy-config.json", "DynamicProxyConfigurationResources"},
                    new String[] {"serialization-config.json", "SerializationConfigurationResources"},
                    new String[] {"serialization-deny-config.json", "SerializationDenyConfigurationResources"},
                    new String[] {"predefined-classes-config.json", "PredefinedClassesConfigurationResources"});

    static void metaInf(Path entry) throws IOException {
        if (!Files.isRegularFile(entry)) return; // invalid Class-Path entries are tolerated, like the launcher does
        try (JarFile jf = new JarFile(entry.toFile())) {
            List<String> names = jf.stream().map(e -> e.getName()).filter(n -> n.startsWith("META-INF/native-image/") && !n.endsWith("/")).sorted().toList();
            for (String name : names) {
                String resource = "/" + name;
                if (excludes.stream().anyMatch(x -> x[0].matcher(entry.toString()).find() && x[1].matcher(resource).find())) continue;
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (file.equals("native-image.properties")) {
                    Properties props = new Properties();
                    try (InputStream in = jf.getInputStream(jf.getEntry(name))) {
                        props.load(in);
                    }
                    String dir = name.substring(0, name.lastIndexOf('/'));
                    for (String key : props.stringPropertyNames()) {
                        String v = props.getProperty(key).replace("${.}", dir).trim();
                        if (v.isEmpty()) continue;
                        if (key.equals("Args")) {
                            Deque<String> q = new ArrayDeque<>(List.of(v.split("\\s+")));
                            while (!q.isEmpty()) option(q.poll(), q, entry.getFileName() + "!" + name);
                        } else if (key.equals("JavaArgs")) jvm.addAll(List.of(v.split("\\s+")));
                        else if (key.equals("ImageName")) imageName = v;
                        else System.err.println("native-check: ignoring " + key + " in " + entry.getFileName() + "!" + name);
                    }
                } else {
                    for (String[] c : CONFIG_FILES) if (c[0].equals(file)) hosted.add("-H:" + c[1] + "=" + name);
                }
            }
        }
    }

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

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
