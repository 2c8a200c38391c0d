package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.WorkflowDefinition;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionReaderTest {
  private static final Expressions EXPRESSIONS = new Expressions(Clock.systemUTC());
  private static final WorkflowDefinitionReader READER =
      new WorkflowDefinitionReader(new DefinitionChecks(EXPRESSIONS, new JsonSchemas()));
  private static final DefinitionParser PARSER = new DefinitionParser();

  private static WorkflowDefinition read(String yaml) {
    return READER.read(PARSER.parse(yaml, true), null);
  }

  private static List<FieldError> errors(String yaml) {
    try {
      read(yaml);
    } catch (InvalidInputException e) {
      return e.errors();
    }
    throw new AssertionError("expected the definition to be rejected");
  }

  private static final String KYC =
      """
      kind: workflow
      name: kyc-review
      inputs: {type: object, properties: {region: {type: string, default: all}}}
      on:
        manual: true
        schedule:
          - cron: "0 6 * * MON"
            timezone: Europe/Oslo
            parameters: {region: all}
            missed: skip
        events:
          - type: kyc.policy.changed
            if: "event.data.severity != 'low'"
      review: required
      concurrency: {limit: 1}
      steps:
        - id: find-due
          uses: list-accounts-due
          with: {region: "${{ inputs.region }}"}
        - id: request-evidence
          needs: [find-due]
          uses: request-evidence@2
          forEach: "${{ steps['find-due'].outputs.accounts }}"
          subjectKey: "${{ item.id }}"
          if: "item.active && item.daysOverdue > 0"
          idempotencyKey: "${{ 'kyc:' + item.id + ':' + trigger.isoWeek }}"
          with: {account: "${{ item.id }}", manager: "${{ item.manager }}"}
          retry: {maxAttempts: 3, backoff: 5s}
        - id: file-finding
          needs: [request-evidence]
          uses: workflow:create-finding
          approval: {role: approver, expiresIn: 3d, allowSelfApproval: false}
          continueOnError: false
      """;

  @Test
  void the_kyc_review_of_the_definitions_document_is_valid() {
    WorkflowDefinition w = read(KYC);
    assertThat(w.name()).isEqualTo("kyc-review");
    assertThat(w.review()).isEqualTo("required");
    assertThat(w.concurrencyLimit()).isEqualTo(1);
    assertThat(w.steps()).hasSize(3);
    assertThat(w.steps().get(1).uses().name()).isEqualTo("request-evidence");
    assertThat(w.steps().get(1).uses().revision()).isEqualTo(2);
    assertThat(w.steps().get(1).retry().maxAttempts()).isEqualTo(3);
    assertThat(w.steps().get(2).uses().isWorkflow()).isTrue();
    assertThat(w.steps().get(1).needs()).containsExactly("find-due");
    assertThat(w.manual()).isTrue();
  }

  @Test
  void an_unknown_needed_step_is_named_by_its_field_path() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            steps:
              - {id: a, uses: x}
              - {id: b, uses: x, needs: [nope]}
            """);
    assertThat(e).extracting(FieldError::field).contains("steps[1].needs[0]");
    assertThat(e.toString()).contains("nope");
  }

  @Test
  void a_cycle_is_rejected_and_named() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            steps:
              - {id: a, uses: x, needs: [c]}
              - {id: b, uses: x, needs: [a]}
              - {id: c, uses: x, needs: [b]}
            """);
    assertThat(e.toString()).contains("cycle").contains("a").contains("b").contains("c");
  }

  @Test
  void a_duplicate_step_id_is_rejected() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            steps:
              - {id: a, uses: x}
              - {id: a, uses: y}
            """);
    assertThat(e).extracting(FieldError::field).contains("steps[1].id");
  }

  @Test
  void expressions_that_do_not_parse_are_named_with_field_and_position() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            steps:
              - id: a
                uses: x
                if: "item.active &&"
                with: {n: "${{ inputs.n + }}"}
            """);
    assertThat(e).extracting(FieldError::field).contains("steps[0].if", "steps[0].with.n");
    assertThat(e.toString()).contains("column");
  }

  @Test
  void unknown_keys_bad_uses_cron_and_timezone_are_all_reported_together() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            on:
              schedule: [{cron: "not a cron", timezone: Mars/Base}]
            steps:
              - {id: a, uses: "bad name!", colour: red}
            """);
    assertThat(e)
        .extracting(FieldError::field)
        .contains(
            "on.schedule[0].cron", "on.schedule[0].timezone", "steps[0].uses", "steps[0].colour");
  }

  @Test
  void an_event_trigger_may_give_parameters_as_templates_over_the_event() {
    WorkflowDefinition w =
        read(
            """
            kind: workflow
            name: w
            inputs: {type: object, required: [region], properties: {region: {type: string}}}
            on:
              events:
                - type: kyc.policy.changed
                  parameters:
                    region: "${{ event.data.region }}"
                    reason: "policy ${{ event.data.policy }} changed"
                    accounts: ["${{ event.subject }}"]
                    urgent: true
            steps:
              - {id: a, uses: x}
            """);
    assertThat(w.on().get("events").get(0).get("parameters").get("region").asText())
        .isEqualTo("${{ event.data.region }}");
  }

  @Test
  void event_parameters_that_are_not_an_object_or_do_not_compile_are_named_by_their_path() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            on:
              events:
                - {type: a.b, parameters: ["${{ event.data }}"]}
                - type: a.b
                  parameters:
                    region: "${{ event.data.region + }}"
                    tags: ["ok", "${{ event.data.tags[ }}"]
                    fine: "${{ event.data.fine }}"
                  colour: red
            steps:
              - {id: a, uses: x}
            """);
    assertThat(e)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "on.events[0].parameters",
            "on.events[1].parameters.region",
            "on.events[1].parameters.tags[1]",
            "on.events[1].colour");
    assertThat(e)
        .filteredOn(f -> f.field().equals("on.events[0].parameters"))
        .extracting(FieldError::message)
        .containsExactly("must be an object");
    assertThat(e.toString()).contains("event.data.region +").contains("column");
  }

  @Test
  void event_parameters_may_not_use_secrets_as_they_are_stored_with_the_run() {
    List<FieldError> e =
        errors(
            """
            kind: workflow
            name: w
            on:
              events:
                - type: a.b
                  parameters:
                    region: "${{ event.data.region }}"
                    token: "Bearer ${{ secrets.API_TOKEN }}"
                    nested: {deep: ["${{ secrets['OTHER'] }}"]}
            steps:
              - {id: a, uses: x}
            """);
    assertThat(e)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "on.events[0].parameters.token", "on.events[0].parameters.nested");
    assertThat(e).allSatisfy(f -> assertThat(f.message()).contains("secrets", "stored"));
  }

  @Test
  void a_workflow_without_steps_is_rejected() {
    assertThatThrownBy(() -> read("kind: workflow\nname: w\nsteps: []\n"))
        .isInstanceOf(InvalidInputException.class);
  }
}
