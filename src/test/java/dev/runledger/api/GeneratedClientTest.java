package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;

/**
 * A client generated from the served document works: openapi-generator's Java client (the {@code
 * native} library) compiles, and a program written against it triggers a workflow, waits for the
 * run and lists its tasks on a real server.
 */
class GeneratedClientTest {
  private static final Path OUT = Path.of("target/generated-client");
  private static final String PACKAGE = "dev.runledger.client";

  @Test
  void the_generated_java_client_compiles_and_drives_trigger_wait_and_tasks() throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient admin = server.admin();
      define(admin, "actions", "echo-name", ECHO);
      define(admin, "actions", "ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
      define(admin, "workflows", "greet", GREET);

      Path spec = served(server);
      Path sources = generate(spec);
      Path classes = compile(sources);

      List<String> seen;
      try (URLClassLoader loader =
          new URLClassLoader(
              new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
        @SuppressWarnings("unchecked")
        BiFunction<String, String, List<String>> drive =
            (BiFunction<String, String, List<String>>)
                loader.loadClass(PACKAGE + ".Drive").getDeclaredConstructor().newInstance();
        seen = drive.apply(server.node().url(), TestServer.ADMIN_TOKEN);
      }
      assertThat(seen)
          .containsExactly(
              "run completed",
              "trigger manual",
              "review none",
              "label via=openapi-generator",
              "task say succeeded",
              "task done succeeded",
              "say argv hello a generated client",
              "say jvm true");
    }
  }

  private static final String ECHO =
      """
      kind: action
      name: echo-name
      inputs: {type: object, required: [who], properties: {who: {type: string}}}
      command:
        run: [echo, hello, "${{ inputs.who }}"]
      """;

  private static final String GREET =
      """
      kind: workflow
      name: greet
      inputs: {type: object, required: [who], properties: {who: {type: string}}}
      steps:
        - id: say
          uses: echo-name
          with: {who: "${{ inputs.who }}"}
        - id: done
          needs: [say]
          uses: ok
      """;

  private static void define(ApiClient admin, String kind, String name, String yaml) {
    ApiClient.Response r = admin.putYaml("/api/" + kind + "/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static Path served(TestServer server) throws IOException {
    ApiClient.Response r = server.client(null).get("/api/openapi.yaml");
    assertThat(r.status()).isEqualTo(200);
    deleteTree(OUT);
    Files.createDirectories(OUT);
    Path spec = OUT.resolve("openapi.yaml");
    Files.writeString(spec, r.text());
    return spec;
  }

  /** openapi-generator's {@code java} generator, {@code native} library (java.net.http). */
  private static Path generate(Path spec) {
    Path dir = OUT.resolve("client");
    CodegenConfigurator config =
        new CodegenConfigurator()
            .setGeneratorName("java")
            .setLibrary("native")
            .setInputSpec(spec.toAbsolutePath().toString())
            .setOutputDir(dir.toAbsolutePath().toString())
            .setInvokerPackage(PACKAGE)
            .setApiPackage(PACKAGE + ".api")
            .setModelPackage(PACKAGE + ".model")
            .addAdditionalProperty("openApiNullable", false)
            .addAdditionalProperty("useJakartaEe", true)
            .addAdditionalProperty("hideGenerationTimestamp", true)
            .addAdditionalProperty("useSingleRequestParameter", true)
            .addGlobalProperty("apiTests", "false")
            .addGlobalProperty("modelTests", "false")
            .addGlobalProperty("apiDocs", "false")
            .addGlobalProperty("modelDocs", "false");
    new DefaultGenerator().opts(config.toClientOptInput()).generate();
    Path sources = dir.resolve("src/main/java");
    assertThat(sources.resolve("dev/runledger/client/api/RunsApi.java")).exists();
    return sources;
  }

  /** Compiles the generated client with the program that drives it, on the test classpath. */
  private Path compile(Path sources) throws IOException {
    Path drive = sources.resolve("dev/runledger/client/Drive.java");
    try (InputStream in = getClass().getResourceAsStream("/generated-client/Drive.java")) {
      assertThat(in).as("generated-client/Drive.java").isNotNull();
      Files.write(drive, in.readAllBytes());
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    Path classes = OUT.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler").isNotNull();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of(
              "-d",
              classes.toString(),
              "-classpath",
              System.getProperty("java.class.path"),
              "-proc:none",
              "-nowarn",
              "-Xlint:none");
      boolean ok =
          javac
              .getTask(
                  null,
                  fileManager,
                  diagnostics,
                  options,
                  null,
                  fileManager.getJavaFileObjectsFromPaths(files))
              .call();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(
              (d.getSource() == null
                      ? ""
                      : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                  + d.getMessage(null));
        }
      }
      assertThat(errors).as("compile errors of the generated client").isEmpty();
      assertThat(ok).isTrue();
    }
    return classes;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
