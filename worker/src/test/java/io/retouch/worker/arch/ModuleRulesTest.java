package io.retouch.worker.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's module table for worker, made executable. */
class ModuleRulesTest {

  private final JavaClasses worker =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.worker");

  @Test
  void the_worker_serves_no_http_and_does_not_reach_into_the_api() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework.web..",
            "jakarta.servlet..",
            "io.retouch.api..",
            "io.retouch.testkit..")
        .check(worker);
  }

  @Test
  void the_worker_changes_jobs_only_through_the_job_stores() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.jdbc.core.simple.JdbcClient")
        .check(worker);
  }

  @Test
  void sql_lives_in_the_db_module_only() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "org.springframework.jdbc..", "jakarta.persistence..")
        .check(worker);
  }

  @Test
  void its_packages_depend_on_each_other_without_cycles() {
    slices().matching("io.retouch.worker.(*)..").should().beFreeOfCycles().check(worker);
  }

  @Test
  void the_openai_adapter_knows_nothing_of_the_database() {
    noClasses()
        .that()
        .resideInAPackage("io.retouch.worker.openai..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.retouch.db..", "java.sql..")
        .check(worker);
  }
}
