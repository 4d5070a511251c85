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
 * Helpers that read the builder jars live in BuilderStubs.java beside this file.
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
        cmd.add("--patch-module=org.graalvm.nativeimage.builder=" + BuilderStubs.cHelperStub(out.resolve("patch")));
        cmd.addAll(BuilderStubs.concealedExports(graal));
        cmd.addAll(jvm);
        cmd.addAll(List.of("--module", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner"));
        // the builder exits when this process is gone (as under the native-image launcher)
        cmd.addAll(List.of("-keepalive", "/proc/" + ProcessHandle.current().pid() + "/comm"));
        cmd.addAll(List.of("-imagecp", imageCp.stream().map(Path::toString).collect(Collectors.joining(":"))));
        cmd.add("-H:Path=" + out);
        cmd.add("-H:Class=" + mainClass);
        cmd.add("-H:Name=" + imageName);
        cmd.addAll(hosted);
        Path clibraries = BuilderStubs.headerStubs(graal, out.resolve("clibraries"));
        cmd.add("-H:CLibraryPath=" + clibraries);
        cmd.add("-H:ImageBuildID=" + buildId);
        boolean link = "true".equals(System.getenv("NATIVE_LINK"));
        if (link) {
            // CI-only link route (native-link/README.md): GraalVM's C helpers and the JDK's libraries from this JDK
            Path script = Path.of(System.getenv().getOrDefault("NATIVE_LINK_SCRIPTS", "native-link")).toAbsolutePath()
                            .resolve("build-clibraries.sh");
            int rc = new ProcessBuilder("bash", script.toString(), System.getProperty("java.home"),
                            clibraries.resolve("include").toString(), clibraries.toString()).inheritIO().start().waitFor();
            if (rc != 0) System.exit(rc);
            cmd.add("-H:NativeLinkerOption=-Wl,-rpath,$ORIGIN");
            cmd.add("-H:NativeLinkerOption=-Wl,-rpath-link," + clibraries);
        } else {
            cmd.add("-H:+ReturnAfterAnalysis");
        }
        if (System.getenv("NATIVE_CHECK_VERBOSE") != null) System.err.println(String.join(" \\\n  ", cmd));
        Process p = new ProcessBuilder(cmd).directory(out.toFile()).inheritIO().start();
        int status = p.waitFor();
        if (status == 0 && link) {
            // the shared libraries the executable needs, beside it (it looks for them in $ORIGIN)
            Files.copy(clibraries.resolve("libjvm.so"), out.resolve("libjvm.so"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (String l : List.of("java", "nio", "net", "zip", "extnet", "management_ext", "jaas"))
                Files.copy(Path.of(System.getProperty("java.home"), "lib", "lib" + l + ".so"), out.resolve("lib" + l + ".so"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.exit(status);
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

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
