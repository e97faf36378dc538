package io.retouch.common.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: common must not depend on web, JPA or Spring Boot auto-configuration. */
class ModuleRulesTest {

  private final JavaClasses common =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retouch.common");

  @Test
  void common_stays_free_of_web_jpa_and_auto_configuration() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework.web..",
            "org.springframework.boot.autoconfigure..",
            "jakarta.persistence..",
            "jakarta.servlet..",
            "org.hibernate..",
            "org.springframework.data..")
        .check(common);
  }
}
