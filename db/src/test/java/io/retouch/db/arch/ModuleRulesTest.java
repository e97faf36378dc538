package io.retouch.db.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's module table for db, made executable. */
class ModuleRulesTest {

  private final JavaClasses db =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.db");

  @Test
  void the_db_module_knows_nothing_of_http_openai_or_the_apps() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework.web..",
            "jakarta.servlet..",
            "com.openai..",
            "okhttp3..",
            "io.retouch.api..",
            "io.retouch.worker..",
            "io.retouch.testkit..")
        .check(db);
  }

  @Test
  void its_packages_depend_on_each_other_without_cycles() {
    slices().matching("io.retouch.db.(*)..").should().beFreeOfCycles().check(db);
  }
}
