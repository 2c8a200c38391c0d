package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.RunLogContext;
import dev.runledger.engine.queue.AttemptRunner;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The server's log: an access line per request, the run on engine lines, and the JSON format. */
class ServerLogsTest {
  static TestServer server;
  static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ListAppender<ILoggingEvent> capture(String logger, Level level) {
    Logger target = (Logger) LoggerFactory.getLogger(logger);
    target.setLevel(level);
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.start();
    target.addAppender(list);
    return list;
  }

  static void release(String logger, ListAppender<ILoggingEvent> list) {
    Logger target = (Logger) LoggerFactory.getLogger(logger);
    target.detachAppender(list);
    target.setLevel(null);
  }

  static List<String> lines(ListAppender<ILoggingEvent> list) {
    return List.copyOf(list.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void every_request_has_an_access_line_naming_its_route_status_and_principal_never_a_secret() {
    ListAppender<ILoggingEvent> access = capture("dev.runledger.access", Level.INFO);
    try {
      assertThat(admin.get("/api/runs").status()).isEqualTo(200);
      assertThat(server.client("rl_not_a_token").get("/api/runs").status()).isEqualTo(401);
      admin.post("/hooks/nothing/hook-secret-in-the-path", Map.of("x", 1));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> lines(access).stream().anyMatch(l -> l.contains("/hooks/")));
      List<String> lines = lines(access);
      assertThat(lines).anyMatch(l -> l.matches("GET /api/runs 200 \\d+ ms admin"));
      assertThat(lines).anyMatch(l -> l.matches("GET /api/runs 401 \\d+ ms -"));
      assertThat(lines)
          .anyMatch(l -> l.matches("POST /hooks/\\{workflow}/\\{secret} 4\\d\\d \\d+ ms -"));
      assertThat(String.join("\n", lines))
          .doesNotContain("hook-secret-in-the-path")
          .doesNotContain(TestServer.ADMIN_TOKEN)
          .doesNotContain("rl_not_a_token");
    } finally {
      release("dev.runledger.access", access);
    }
  }

  @Test
  void what_the_engine_logs_for_an_attempt_names_its_run_task_and_principal() {
    ListAppender<ILoggingEvent> engine = capture(AttemptRunner.class.getName(), Level.DEBUG);
    try {
      assertThat(
              admin
                  .putYaml(
                      "/api/actions/truth",
                      "kind: action\nname: truth\ncommand: {run: [\"true\"]}\n")
                  .status())
          .isIn(200, 201);
      ApiClient.Response r = admin.post("/api/actions/truth/trigger", Map.of());
      assertThat(r.status()).as(r.text()).isEqualTo(202);
      String run = r.json().get("id").asText();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  List.copyOf(engine.list).stream()
                      .anyMatch(e -> run.equals(e.getMDCPropertyMap().get(RunLogContext.RUN_ID))));
      ILoggingEvent ended =
          List.copyOf(engine.list).stream()
              .filter(e -> run.equals(e.getMDCPropertyMap().get(RunLogContext.RUN_ID)))
              .findFirst()
              .orElseThrow();
      assertThat(ended.getFormattedMessage()).isEqualTo("attempt 1 of truth ended: succeeded");
      assertThat(ended.getMDCPropertyMap())
          .containsEntry(RunLogContext.TASK, "truth")
          .containsEntry(RunLogContext.PRINCIPAL, "admin");
    } finally {
      release(AttemptRunner.class.getName(), engine);
    }
  }

  @Test
  void a_run_context_restores_what_the_thread_had_when_it_closes() {
    MDC.put(RunLogContext.PRINCIPAL, "otto");
    try (RunLogContext outer = RunLogContext.of("run_outer", null)) {
      try (RunLogContext inner = RunLogContext.of("run_inner", "step")) {
        assertThat(MDC.get(RunLogContext.RUN_ID)).isEqualTo("run_inner");
        assertThat(MDC.get(RunLogContext.TASK)).isEqualTo("step");
      }
      assertThat(MDC.get(RunLogContext.RUN_ID)).isEqualTo("run_outer");
      assertThat(MDC.get(RunLogContext.TASK)).isNull();
    }
    assertThat(MDC.get(RunLogContext.RUN_ID)).isNull();
    assertThat(MDC.get(RunLogContext.PRINCIPAL)).isEqualTo("otto");
    MDC.clear();
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_json_format_writes_one_object_a_line_with_the_message_formatted() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    Encoder<ILoggingEvent> text = console.getEncoder();
    PrintStream err = System.err;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
    try (RunLogContext logged = RunLogContext.of("run_json", "greet")) {
      LogFormat.JSON.apply();
      LoggerFactory.getLogger("dev.runledger.json-test").warn("{} said {}", "ada", "hello");
    } finally {
      System.setErr(err);
      console.stop();
      console.setEncoder(text);
      console.start();
    }
    String line =
        written
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("json-test"))
            .findFirst()
            .orElseThrow();
    JsonNode json = Json.MAPPER.readTree(line);
    assertThat(json.get("formattedMessage").asText()).isEqualTo("ada said hello");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("loggerName").asText()).isEqualTo("dev.runledger.json-test");
    assertThat(json.get("timestamp").asLong()).isPositive();
    assertThat(json.get("mdc").get("runId").asText()).isEqualTo("run_json");
    assertThat(json.get("mdc").get("task").asText()).isEqualTo("greet");
    assertThat(json.has("message")).isFalse();
  }

  @Test
  void the_shipped_logging_configuration_loads_without_an_error() throws Exception {
    LoggerContext fresh = new LoggerContext();
    ch.qos.logback.classic.joran.JoranConfigurator configurator =
        new ch.qos.logback.classic.joran.JoranConfigurator();
    configurator.setContext(fresh);
    configurator.doConfigure(ServerLogsTest.class.getResource("/logback.xml"));
    assertThat(
            fresh.getStatusManager().getCopyOfStatusList().stream()
                .filter(st -> st.getLevel() >= ch.qos.logback.core.status.Status.WARN)
                .map(Object::toString)
                .toList())
        .isEmpty();
    assertThat(fresh.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
        .isNotNull();
    fresh.stop();
  }

  @Test
  void an_unknown_log_format_is_refused_by_name() {
    assertThat(LogFormat.parse(" JSON ")).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> LogFormat.parse("xml"))
        .hasMessage("--log-format (or RUNLEDGER_LOG_FORMAT) is text or json, not 'xml'");
  }
}
