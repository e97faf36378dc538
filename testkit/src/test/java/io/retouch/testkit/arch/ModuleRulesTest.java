package io.retouch.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's module table for testkit, made executable. */
class ModuleRulesTest {

  private final JavaClasses testkit =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.testkit");

  @Test
  void the_testkit_stands_apart_from_the_apps_and_their_database() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.retouch.db..",
            "io.retouch.api..",
            "io.retouch.worker..",
            "org.springframework.jdbc..")
        .check(testkit);
  }

  @Test
  void its_packages_depend_on_each_other_without_cycles() {
    slices().matching("io.retouch.testkit.(*)..").should().beFreeOfCycles().check(testkit);
  }
}
