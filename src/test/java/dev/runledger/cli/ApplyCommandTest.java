package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
  @TempDir Path dir;
  StubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void puts_the_actions_then_the_workflows_of_a_directory_and_reports_created_or_unchanged()
      throws Exception {
    String hello = "kind: action\nname: hello\nbuiltin: {log: {message: hi}}\n";
    Files.writeString(dir.resolve("b-hello.yaml"), hello);
    Files.writeString(
        dir.resolve("a-nightly.json"), "{\"kind\":\"workflow\",\"name\":\"nightly\",\"steps\":[]}");
    Files.writeString(dir.resolve("notes.txt"), "not a definition");
    server
        .on(
            "PUT",
            "/api/actions/hello",
            Answer.json(
                201,
                "{\"name\":\"hello\",\"revision\":2,\"definitionHash\":\"sha256:abc\",\"created\":true}"))
        .on(
            "PUT",
            "/api/workflows/nightly",
            Answer.json(
                200,
                "{\"name\":\"nightly\",\"revision\":1,\"definitionHash\":\"sha256:def\",\"created\":false}"));

    CliHarness.Result result = CliHarness.run(server, "apply", "-f", dir.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "action hello: revision 2 (sha256:abc) created\n"
                + "workflow nightly: revision 1 (sha256:def) unchanged\n");
    assertThat(server.requests())
        .extracting(StubServer.Request::path)
        .containsExactly("/api/actions/hello", "/api/workflows/nightly");
    StubServer.Request put = server.only("PUT", "/api/actions/hello");
    assertThat(put.body()).isEqualTo(hello);
    assertThat(put.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(put.header("Authorization")).isEqualTo("Bearer " + CliHarness.TOKEN);
    assertThat(put.rawQuery()).isNull();
    assertThat(server.only("PUT", "/api/workflows/nightly").header("Content-Type"))
        .isEqualTo("application/json");
  }

  @Test
  void sends_the_documents_project_and_continues_past_a_rejected_file() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "kind: action\nname: bad\nproject: compliance\nhttp: {url: 1}\n");
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "kind: action\nname: good\nbuiltin: {noop: {}}\n");
    server
        .on(
            "PUT",
            "/api/actions/bad",
            Answer.problem(
                400,
                "{\"type\":\"https://runledger.dev/problems/invalid-definition\",\"title\":\"Bad"
                    + " Request\",\"status\":400,\"detail\":\"the definition is invalid\","
                    + "\"errors\":[{\"field\":\"http.url\",\"message\":\"must be a string\"}]}"))
        .on(
            "PUT",
            "/api/actions/good",
            Answer.json(
                201,
                "{\"name\":\"good\",\"revision\":1,\"definitionHash\":\"sha256:111\",\"created\":true}"));

    CliHarness.Result result =
        CliHarness.run(server, "apply", "-f", bad.toString(), "-f", good.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "error: "
                + bad
                + " (action bad): 400 Bad Request: the definition is invalid\n"
                + "  http.url: must be a string\n");
    assertThat(result.out()).isEqualTo("action good: revision 1 (sha256:111) created\n");
    assertThat(server.only("PUT", "/api/actions/bad").query())
        .containsEntry("project", java.util.List.of("compliance"));
  }

  @Test
  void a_truncated_json_file_is_named_with_where_it_breaks_and_no_parser_internals()
      throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"kind\": \"action\", \"name\": {");

    CliHarness.Result result = CliHarness.run(server, "apply", "-f", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("not valid JSON at line 1, column")
        .doesNotContain("Source")
        .doesNotContain("StreamReadFeature");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void a_second_json_value_in_a_file_is_refused_without_parser_internals() throws Exception {
    Path json = dir.resolve("two.json");
    Files.writeString(json, "{\"kind\": \"action\", \"name\": \"a\"} {}");

    CliHarness.Result result = CliHarness.run(server, "apply", json.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains(json + ": not valid JSON at line 1")
        .contains("more than one value")
        .doesNotContain("com.fasterxml")
        .doesNotContain("JsonNode");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void each_document_of_a_yaml_file_is_put_on_its_own_starting_at_its_line_of_the_file()
      throws Exception {
    Path file = dir.resolve("two.yaml");
    Files.writeString(
        file, "kind: action\nname: a\nbuiltin: {noop: {}}\n---\nkind: action\nname: b\n");
    server
        .on(
            "PUT",
            "/api/actions/a",
            Answer.json(201, "{\"name\":\"a\",\"revision\":1,\"created\":true}"))
        .on(
            "PUT",
            "/api/actions/b",
            Answer.problem(
                400,
                "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"the definition is"
                    + " invalid\",\"errors\":[{\"field\":\"builtin\",\"message\":\"is"
                    + " required\"}]}"));

    CliHarness.Result result = CliHarness.run(server, "apply", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(server.only("PUT", "/api/actions/a").body())
        .isEqualTo("kind: action\nname: a\nbuiltin: {noop: {}}\n");
    // padded with the lines before it, so the server's "line N" is the file's
    assertThat(server.only("PUT", "/api/actions/b").body())
        .isEqualTo("\n\n\n---\nkind: action\nname: b\n");
    assertThat(result.out()).isEqualTo("action a: revision 1 created\n");
    assertThat(result.err())
        .isEqualTo(
            "error: "
                + file
                + ":4 (action b): 400 Bad Request: the definition is invalid\n"
                + "  builtin: is required\n");
  }

  @Test
  void a_definition_in_two_files_is_refused_and_neither_is_sent() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "kind: action\nname: twice\n");
    Files.writeString(dir.resolve("b.yaml"), "kind: action\nname: twice\n");

    CliHarness.Result result = CliHarness.run(server, "apply", dir.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "error: "
                + dir.resolve("b.yaml")
                + " (action twice): defined twice: "
                + dir.resolve("a.yaml")
                + " defines it too\n");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void dry_run_posts_each_document_to_the_dry_run_route_and_puts_nothing() throws Exception {
    Path file = dir.resolve("hello.yaml");
    Files.writeString(file, "kind: action\nname: hello\nbuiltin: {noop: {}}\n");
    server.on(
        "POST",
        "/api/actions/hello/dry-run",
        Answer.json(
            200,
            "{\"name\":\"hello\",\"kind\":\"action\",\"project\":\"default\","
                + "\"change\":\"revised\",\"revision\":4,\"definitionHash\":\"sha256:1\","
                + "\"definition\":{},\"latest\":{\"revision\":3,\"definitionHash\":\"sha256:0\","
                + "\"archived\":true}}"));

    CliHarness.Result result = CliHarness.run(server, "apply", file.toString(), "--dry-run");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "action hello: would be revised: revision 4, now 3 (archived; the new revision makes"
                + " it live again)\n"
                + "dry run: 0 to create, 1 to revise, 0 unchanged; nothing was changed\n");
    StubServer.Request post = server.only("POST", "/api/actions/hello/dry-run");
    assertThat(post.body()).isEqualTo("kind: action\nname: hello\nbuiltin: {noop: {}}\n");
    assertThat(post.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void apply_without_a_file_says_what_it_needs() {
    CliHarness.Result result = CliHarness.run(server, "apply");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("give a definition file or directory");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void a_file_without_kind_fails_without_a_request() throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, "name: x\n");

    CliHarness.Result result = CliHarness.run(server, "apply", "-f", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains(file + ": no 'kind' (action or workflow)");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void project_option_is_sent_when_the_document_names_none() throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, "kind: workflow\nname: x\n");
    server.on(
        "PUT",
        "/api/workflows/x",
        Answer.json(201, "{\"name\":\"x\",\"revision\":1,\"definitionHash\":\"sha256:1\"}"));

    CliHarness.Result result =
        CliHarness.run(server, "apply", "-f", file.toString(), "--project", "ops");

    assertThat(result.exitCode()).isZero();
    assertThat(server.only("PUT", "/api/workflows/x").rawQuery()).isEqualTo("project=ops");
  }
}
