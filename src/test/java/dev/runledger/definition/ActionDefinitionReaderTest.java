package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.runledger.model.ActionDefinition;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionDefinitionReaderTest {
  static final Expressions EXPRESSIONS =
      new Expressions(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  static final JsonSchemas SCHEMAS = new JsonSchemas();

  private final DefinitionParser parser = new DefinitionParser();
  private final ActionDefinitionReader reader =
      new ActionDefinitionReader(new DefinitionChecks(EXPRESSIONS, SCHEMAS));

  private static final String REQUEST_EVIDENCE =
      """
      kind: action
      name: request-evidence
      description: Ask an account manager for fresh KYC evidence.
      inputs:
        type: object
        required: [account, manager]
        properties:
          account: {type: string}
          manager: {type: string}
          dueDays: {type: integer, default: 14, minimum: 1}
      http:
        method: POST
        url: "${{ secrets.MESSAGING_URL }}/requests"
        headers: {Authorization: "Bearer ${{ secrets.MESSAGING_TOKEN }}"}
        body: {to: "${{ inputs.manager }}", account: "${{ inputs.account }}", dueInDays: "${{ inputs.dueDays }}"}
        successCodes: [200, 201]
        outputs: {requestId: "${{ response.body.id }}"}
      outputsSchema:
        type: object
        required: [requestId]
        properties: {requestId: {type: string}}
      result: "${{ outputs.requestId }}"
      timeout: 30s
      retry: {maxAttempts: 4, backoff: 2s, maxBackoff: 1m}
      """;

  private static final String SUMMARIZE =
      """
      kind: action
      name: summarize
      inputs: {type: object, properties: {threshold: {type: number, default: 0.5}}}
      command:
        run: [python3, summarize.py, --threshold, "${{ string(inputs.threshold) }}"]
        env: {THRESHOLD: "${{ string(inputs.threshold) }}"}
        inputs: {files: [{from: "${{ steps.extract.files['data.csv'] }}", as: data.csv}]}
        outputs: {files: [summary.json, "charts/*.png"]}
        retryableExitCodes: [75]
      timeout: 10m
      """;

  private ActionDefinition read(String yaml) {
    try {
      return reader.read(parser.parse(yaml, true), null);
    } catch (InvalidInputException e) {
      throw new AssertionError(yaml + " -> " + e.errors(), e);
    }
  }

  private List<FieldError> errors(String yaml) {
    return errors(yaml, null);
  }

  private List<FieldError> errors(String yaml, String project) {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> reader.read(parser.parse(yaml, true), project));
    assertThat(e).as("expected the definition to be rejected").isNotNull();
    return e.errors();
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  private static String action(String section) {
    return "kind: action\nname: a\n" + section;
  }

  @Test
  void the_http_example_reads_into_an_action_definition() {
    ActionDefinition action = read(REQUEST_EVIDENCE);
    assertThat(action.project()).isEqualTo("default");
    assertThat(action.name()).isEqualTo("request-evidence");
    assertThat(action.kind()).isEqualTo("http");
    assertThat(action.spec().get("method").textValue()).isEqualTo("POST");
    assertThat(action.inputs().at("/properties/dueDays/default").intValue()).isEqualTo(14);
    assertThat(action.outputsSchema().get("required").get(0).textValue()).isEqualTo("requestId");
    assertThat(action.result()).isEqualTo("${{ outputs.requestId }}");
    assertThat(action.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(action.retry())
        .isEqualTo(new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofMinutes(1)));
  }

  @Test
  void the_command_example_reads_into_an_action_definition() {
    ActionDefinition action = read(SUMMARIZE);
    assertThat(action.kind()).isEqualTo("command");
    assertThat(action.spec().get("run")).hasSize(4);
    assertThat(action.retry()).isEqualTo(RetryPolicy.NONE);
    assertThat(action.timeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void each_builtin_reads() {
    for (String builtin :
        List.of(
            "{noop: {}}",
            "{noop: }",
            "{log: {message: \"hello ${{ inputs.who }}\"}}",
            "{sleep: {for: 10m}}",
            "{sleep: {until: \"2026-11-21T07:00:00Z\"}}",
            "{sleep: {until: \"${{ inputs.when }}\"}}",
            "{fail: {cause: broken, kind: deterministic}}",
            "{emit: {type: kyc.policy.changed, data: {severity: high}}}")) {
      assertThat(read(action("builtin: " + builtin + "\n")).kind())
          .as(builtin)
          .isEqualTo("builtin");
    }
  }

  @Test
  void kind_and_name_are_required() {
    assertThat(errors("description: x\nbuiltin: {noop: {}}\n"))
        .extracting(FieldError::field, FieldError::message)
        .contains(tuple("kind", "is required"), tuple("name", "is required"));
    assertThat(errors("kind: workflow\nname: a\nbuiltin: {noop: {}}\n"))
        .extracting(FieldError::field)
        .containsExactly("kind");
  }

  @Test
  void name_must_match_the_pattern() {
    assertThat(errors(action("builtin: {noop: {}}\n").replace("name: a", "name: -bad name")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("name");
              assertThat(e.message()).contains("not a valid name");
            });
    assertThat(
            errors(action("builtin: {noop: {}}\n").replace("name: a", "name: " + "a".repeat(129))))
        .extracting(FieldError::field)
        .containsExactly("name");
  }

  @Test
  void project_defaults_to_the_request_and_must_agree_with_it() {
    String yaml = action("project: team-a\nbuiltin: {noop: {}}\n");
    assertThat(reader.read(parser.parse(yaml, true), "team-a").project()).isEqualTo("team-a");
    assertThat(reader.read(parser.parse(yaml, true), null).project()).isEqualTo("team-a");
    assertThat(reader.read(parser.parse(action("builtin: {noop: {}}\n"), true), "team-b").project())
        .isEqualTo("team-b");
    assertThat(errors(yaml, "team-b"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("project");
              assertThat(e.message()).contains("team-a").contains("team-b");
            });
    assertThat(fields(errors(action("project: 'bad project'\nbuiltin: {noop: {}}\n"))))
        .containsExactly("project");
  }

  @Test
  void omitting_project_and_writing_the_default_hash_the_same() {
    var omitted = parser.parse(action("builtin: {noop: {}}\n"), true);
    var explicit = parser.parse(action("project: default\nbuiltin: {noop: {}}\n"), true);
    assertThat(DefinitionHash.of(reader.normalize(omitted, null)))
        .isEqualTo(DefinitionHash.of(reader.normalize(explicit, null)))
        .isEqualTo(DefinitionHash.of(reader.normalize(omitted, "default")));
    assertThat(DefinitionHash.of(reader.normalize(omitted, "other")))
        .isNotEqualTo(DefinitionHash.of(reader.normalize(omitted, null)));
    assertThat(omitted.has("project")).as("normalize copies").isFalse();
  }

  @Test
  void exactly_one_of_http_command_builtin() {
    assertThat(errors(action("description: nothing to do\n")))
        .extracting(FieldError::field)
        .containsExactly("http|command|builtin");
    assertThat(errors(action("http: {url: 'https://x.test'}\nbuiltin: {noop: {}}\n")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("builtin");
              assertThat(e.message()).contains("also has http");
            });
  }

  @Test
  void http_rules_name_their_fields() {
    List<FieldError> errors =
        errors(
            action(
                """
                http:
                  method: FETCH
                  headers: {"Bad Header": x, Accept: 5}
                  successCodes: [200, 700, "x"]
                  outputs: {a: 1}
                  followRedirects: maybe
                """));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "http.method",
            "http.url",
            "http.headers[\"Bad Header\"]",
            "http.headers.Accept",
            "http.successCodes[1]",
            "http.successCodes[2]",
            "http.outputs.a",
            "http.followRedirects");
    assertThat(errors(action("http: {url: 'ftp://x.test/file'}\n")))
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("http.url", "must be an absolute http:// or https:// URL"));
  }

  @Test
  void command_rules_name_their_fields() {
    assertThat(
            errors(
                action(
                    """
                    command:
                      run: [ls, 3, "-l"]
                      env: {"1BAD": x, RUNLEDGER_TASK: y, OK: 5}
                      inputs: {files: [{from: a}, {from: b, as: /etc/passwd}]}
                      outputs: {files: ["../up", ok.txt]}
                      retryableExitCodes: [75, 256]
                    """)))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "command.run[1]",
            "command.env[\"1BAD\"]",
            "command.env.RUNLEDGER_TASK",
            "command.env.OK",
            "command.inputs.files[0].as",
            "command.inputs.files[1].as",
            "command.outputs.files[0]",
            "command.retryableExitCodes[1]");
    assertThat(fields(errors(action("command: {run: []}\n")))).containsExactly("command.run");
    assertThat(fields(errors(action("command: {env: {A: b}}\n")))).containsExactly("command.run");
    assertThat(fields(errors(action("command: {run: [ls], script: ls}\n"))))
        .containsExactly("command.script");
  }

  @Test
  void templates_in_the_code_of_an_interpreter_are_refused_pointing_to_script_and_env() {
    String t = "\"${{ inputs.t }}\"";
    for (String run :
        List.of(
            "[bash, -c, " + t + "]",
            "[sh, -c, " + t + "]",
            "[/bin/dash, -ec, " + t + "]",
            "[zsh, -lc, " + t + "]",
            "[ksh, -o, pipefail, -c, " + t + "]",
            "[/usr/bin/env, bash, -c, " + t + "]",
            "[env, -i, A=1, python3, -c, " + t + "]",
            "[python3, -c, " + t + "]",
            "[python3.11, -Bc, " + t + "]",
            "[python, -W, ignore, -c, " + t + "]",
            "[perl, -e, 'print 1', -e, " + t + "]",
            "[perl, -lne, " + t + "]",
            "[ruby, -e, " + t + "]",
            "[node, -e, " + t + "]",
            "[node, --eval, " + t + "]",
            "[php, -r, " + t + "]",
            "[awk, -F, ',', " + t + "]",
            "[timeout, 10s, bash, -c, " + t + "]",
            "[busybox, sh, -c, " + t + "]",
            "[nice, -n, '5', sh, -c, " + t + "]")) {
      List<FieldError> errors =
          errors(action("inputs: {type: object}\ncommand:\n  run: " + run + "\n"));
      assertThat(errors).as(run).hasSize(1);
      FieldError error = errors.get(0);
      assertThat(error.field()).as(run).startsWith("command.run[");
      assertThat(error.message()).as(run).contains("script:", "env:");
    }
    // the program text of -c is reported as the code bash runs, not as an option
    assertThat(errors(action("command: {run: [bash, -c, " + t + "]}\n")).get(0).message())
        .startsWith("is the code bash runs");
    // the program text itself, at its index
    assertThat(fields(errors(action("command: {run: [bash, -ec, " + t + ", x]}\n"))))
        .containsExactly("command.run[2]");
    // a parameter where the interpreter reads its options could become -c code
    assertThat(fields(errors(action("command: {run: [bash, " + t + ", x]}\n"))))
        .containsExactly("command.run[1]");
    assertThat(fields(errors(action("command: {run: [python3, " + t + "]}\n"))))
        .containsExactly("command.run[1]");
    assertThat(fields(errors(action("command: {run: [env, -S, " + t + "]}\n"))))
        .containsExactly("command.run[2]");
    // perl keeps reading switches after -e: a parameter there could be another -e
    assertThat(fields(errors(action("command: {run: [perl, -e, 'print @ARGV', " + t + "]}\n"))))
        .containsExactly("command.run[3]");
  }

  @Test
  void templates_after_an_interpreters_code_or_script_are_data_and_accepted() {
    String t = "\"${{ inputs.t }}\"";
    for (String run :
        List.of(
            "[bash, -c, 'echo \"$1\"', name, " + t + "]",
            "[bash, -eu, script.sh, " + t + "]",
            "[sh, -c, 'echo \"$0\"', " + t + "]",
            "[python3, -c, 'import sys; print(sys.argv[1])', " + t + "]",
            "[python3, tool.py, --name, " + t + "]",
            "[perl, -e, 'print @ARGV', --, " + t + "]",
            "[node, -e, 'console.log(process.argv[2])', --, " + t + "]",
            "[awk, -f, prog.awk, " + t + "]",
            "[env, \"NAME=${{ inputs.t }}\", printenv, NAME]",
            "[printf, '%s', " + t + "]",
            "[grep, -e, " + t + ", file]")) {
      read(action("inputs: {type: object}\ncommand:\n  run: " + run + "\n"));
    }
  }

  @Test
  void builtin_rules_name_their_fields() {
    assertThat(fields(errors(action("builtin: {}\n")))).containsExactly("builtin");
    assertThat(fields(errors(action("builtin: {noop: {}, log: {message: x}}\n"))))
        .containsExactly("builtin.log");
    assertThat(fields(errors(action("builtin: {log: {}}\n"))))
        .containsExactly("builtin.log.message");
    assertThat(fields(errors(action("builtin: {sleep: {for: soon}}\n"))))
        .containsExactly("builtin.sleep.for");
    assertThat(fields(errors(action("builtin: {sleep: {until: tomorrow}}\n"))))
        .containsExactly("builtin.sleep.until");
    assertThat(fields(errors(action("builtin: {sleep: {}}\n")))).containsExactly("builtin.sleep");
    assertThat(fields(errors(action("builtin: {fail: {kind: fatal}}\n"))))
        .containsExactlyInAnyOrder("builtin.fail.cause", "builtin.fail.kind");
    assertThat(fields(errors(action("builtin: {emit: {data: {}}}\n"))))
        .containsExactly("builtin.emit.type");
    assertThat(fields(errors(action("builtin: {noop: {x: 1}}\n"))))
        .containsExactly("builtin.noop.x");
  }

  @Test
  void timeout_and_retry_rules_name_their_fields() {
    assertThat(
            fields(
                errors(
                    action(
                        "builtin: {noop: {}}\ntimeout: 0s\nretry: {maxAttempts: 101, backoff: fast}\n"))))
        .containsExactlyInAnyOrder("timeout", "retry.maxAttempts", "retry.backoff");
    assertThat(fields(errors(action("builtin: {noop: {}}\nretry: {backoff: 1s}\n"))))
        .containsExactly("retry.maxAttempts");
    assertThat(fields(errors(action("builtin: {noop: {}}\nretry: {maxAttempts: 0}\n"))))
        .containsExactly("retry.maxAttempts");
    assertThat(
            fields(
                errors(
                    action(
                        "builtin: {noop: {}}\nretry: {maxAttempts: 2, backoff: 1m, maxBackoff: 1s}\n"))))
        .containsExactly("retry.maxBackoff");
  }

  @Test
  void inputs_and_outputs_schema_must_be_valid_object_schemas() {
    assertThat(
            errors(
                action(
                    "builtin: {noop: {}}\ninputs: {type: object, properties: {a: {minimum: x}}}\n"
                        + "outputsSchema: {type: array}\n")))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("inputs.properties.a.minimum", "outputsSchema.type");
    assertThat(fields(errors(action("builtin: {noop: {}}\ninputs: [a]\n"))))
        .containsExactly("inputs");
  }

  @Test
  void unknown_keys_are_errors_at_every_level() {
    assertThat(
            errors(
                action(
                    """
                    colour: red
                    http: {url: 'https://x.test', verb: GET}
                    retry: {maxAttempts: 2, jitter: true}
                    """)))
        .extracting(FieldError::field, FieldError::message)
        .containsExactlyInAnyOrder(
            tuple("colour", "unknown key"),
            tuple("http.verb", "unknown key"),
            tuple("retry.jitter", "unknown key"));
    assertThat(
            fields(
                errors(
                    action(
                        "command: {run: [ls], inputs: {files: [{from: a, as: b, mode: x}]}}\n"))))
        .containsExactly("command.inputs.files[0].mode");
  }

  @Test
  void every_problem_is_reported_together() {
    assertThat(
            errors(
                """
                kind: action
                name: "not valid!"
                timeout: forever
                command: {run: "ls"}
                extra: 1
                """))
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("name", "timeout", "command.run", "extra");
  }

  @Test
  void expression_errors_name_field_expression_and_column() {
    List<FieldError> errors =
        errors(
            action(
                """
                command:
                  run: [echo, ok, "x ${{ inputs.a + }} y"]
                  env: {A: "${{ nope.b }}"}
                result: "${{ outputs.id"
                """));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("command.run[2]", "command.env.A", "result");
    assertThat(errors.get(0).message()).startsWith("in `${{ inputs.a + }}` at column 11: ");
    assertThat(errors.get(1).message())
        .isEqualTo("in `${{ nope.b }}` at column 1: undeclared reference to 'nope'");
    assertThat(errors.get(2).message()).contains("no matching '}}'");
  }

  @Test
  void expressions_in_http_and_builtin_sections_are_checked() {
    assertThat(
            fields(
                errors(
                    action(
                        "http: {url: 'https://x.test/${{ 1 + }}', body: {a: [\"${{ ) }}\"]}}\n"))))
        .containsExactly("http.url", "http.body.a[0]");
    assertThat(fields(errors(action("builtin: {log: {message: \"${{ inputs. }}\"}}\n"))))
        .containsExactly("builtin.log.message");
  }
}
