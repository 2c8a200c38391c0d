package dev.runledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
