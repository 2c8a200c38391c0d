package dev.runledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The package rules of DESIGN.md §7, kept by tests rather than module walls. */
class PackageDependenciesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runledger");
  }

  @Test
  void model_depends_on_nothing_else_of_ours() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.definition..",
            "dev.runledger.engine..",
            "dev.runledger.executor..",
            "dev.runledger.store..",
            "dev.runledger.audit..",
            "dev.runledger.api..",
            "dev.runledger.web..",
            "dev.runledger.cli..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void definition_uses_only_the_model() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.definition..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.engine..",
            "dev.runledger.executor..",
            "dev.runledger.store..",
            "dev.runledger.audit..",
            "dev.runledger.api..",
            "dev.runledger.web..",
            "dev.runledger.cli..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void executors_never_touch_the_store_or_the_engine() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.executor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.store..",
            "dev.runledger.engine..",
            "dev.runledger.audit..",
            "dev.runledger.definition..",
            "dev.runledger.api..",
            "dev.runledger.cli..",
            "dev.runledger.app..",
            "org.jdbi..")
        .check(classes);
  }

  @Test
  void store_knows_only_the_model() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.engine..",
            "dev.runledger.executor..",
            "dev.runledger.definition..",
            "dev.runledger.audit..",
            "dev.runledger.api..",
            "dev.runledger.cli..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void audit_uses_only_model_and_store() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.engine..",
            "dev.runledger.executor..",
            "dev.runledger.definition..",
            "dev.runledger.api..",
            "dev.runledger.cli..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void engine_api_and_web_never_touch_jdbi() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.runledger.engine..",
            "dev.runledger.api..",
            "dev.runledger.web..",
            "dev.runledger.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.jdbi..", "java.sql..")
        .check(classes);
  }

  @Test
  void the_cli_talks_http_and_uses_only_model_types_of_ours() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.engine..",
            "dev.runledger.executor..",
            "dev.runledger.definition..",
            "dev.runledger.store..",
            "dev.runledger.audit..",
            "dev.runledger.api..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void only_the_app_wires_and_nothing_depends_on_the_app() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.runledger.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.runledger.app..")
        .check(classes);
  }

  /**
   * The engine's rooms and the rooms each may use (besides the engine's own package, which holds
   * only the exceptions and principal names every room shares). The arrows run one way: a trigger,
   * a governance decision or the queue starts or advances runs; a run never reaches back into them.
   */
  private static final Map<String, List<String>> ENGINE_ROOMS =
      Map.of(
          "catalog", List.of(),
          "access", List.of(),
          "evidence", List.of(),
          "run", List.of("catalog"),
          "queue", List.of("run", "catalog", "evidence", "access"),
          "trigger", List.of("run", "catalog"),
          "governance", List.of("run", "catalog"));

  static List<String> engineRooms() {
    return List.copyOf(ENGINE_ROOMS.keySet());
  }

  @ParameterizedTest
  @MethodSource("engineRooms")
  void each_engine_room_uses_only_the_rooms_below_it(String room) {
    String[] others =
        ENGINE_ROOMS.keySet().stream()
            .filter(r -> !r.equals(room) && !ENGINE_ROOMS.get(room).contains(r))
            .map(r -> "dev.runledger.engine." + r + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.engine." + room + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("engine." + room + " may use only " + ENGINE_ROOMS.get(room))
        .check(classes);
  }

  @Test
  void every_engine_class_lives_in_a_room() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.engine")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            Arrays.stream(engineRooms().toArray(String[]::new))
                .map(r -> "dev.runledger.engine." + r + "..")
                .toArray(String[]::new))
        .because("the engine's own package holds only what every room shares")
        .check(classes);
  }

  @Test
  void the_engine_rooms_have_no_cycles() {
    slices().matching("dev.runledger.engine.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void the_engine_never_reaches_up_to_its_callers() {
    noClasses()
        .that()
        .resideInAPackage("dev.runledger.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runledger.api..",
            "dev.runledger.web..",
            "dev.runledger.cli..",
            "dev.runledger.app..")
        .check(classes);
  }

  @Test
  void only_the_state_changes_check_a_transition() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.runledger.model..")
        .and()
        .doNotHaveSimpleName("StateChanges")
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a transition check of the model",
                call -> call.getTarget().getOwner().getSimpleName().equals("Transitions")))
        .check(classes);
  }
}
