package io.retouch.api.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's module table for api, made executable. */
class ModuleRulesTest {

  private final JavaClasses api =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.api");

  @Test
  void the_api_never_calls_openai_nor_reaches_into_the_worker() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.openai..", "io.retouch.worker..")
        .check(api);
  }

  @Test
  void http_bodies_are_built_from_records_not_jpa_entities() {
    noClasses()
        .that()
        .resideInAPackage("io.retouch.api.jobs..")
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(Entity.class)
        .check(api);
  }

  @Test
  void sql_lives_in_the_db_module_only() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "org.springframework.jdbc..", "jakarta.persistence..")
        .check(api);
  }

  @Test
  void its_packages_depend_on_each_other_without_cycles() {
    slices().matching("io.retouch.api.(*)..").should().beFreeOfCycles().check(api);
  }
}
