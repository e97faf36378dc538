package io.retouch.common.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's module table for common, made executable. */
class ModuleRulesTest {

  private final JavaClasses common =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.common");

  @Test
  void common_holds_no_sql_and_no_other_module() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "org.springframework.jdbc..",
            "jakarta.persistence..",
            "io.retouch.db..",
            "io.retouch.api..",
            "io.retouch.worker..",
            "io.retouch.testkit..")
        .check(common);
  }

  @Test
  void its_packages_depend_on_each_other_without_cycles() {
    slices().matching("io.retouch.common.(*)..").should().beFreeOfCycles().check(common);
  }
}
