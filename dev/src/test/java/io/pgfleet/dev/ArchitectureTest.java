package io.pgfleet.dev;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules as README's Layout draws them, checked on the main code of every module (this module
 * sees them all): a rule that fails names the offending class and the dependency.
 */
class ArchitectureTest {
  private static final String[] DEV_ONLY = {
    "io.pgfleet.local..", "io.pgfleet.bench..", "io.pgfleet.dev..", "io.pgfleet.testing.."
  };
  private static JavaClasses main;

  @BeforeAll
  static void importMainCode() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.pgfleet");
  }

  @Test
  void commands_imports_no_other_pgfleet_module() {
    noClasses()
        .that()
        .resideInAPackage("io.pgfleet.commands..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.pgfleet.runtime..",
            "io.pgfleet.worker..",
            "io.pgfleet.dispatcher..",
            "io.pgfleet.cli..",
            "io.pgfleet.local..",
            "io.pgfleet.bench..",
            "io.pgfleet.dev..",
            "io.pgfleet.testing..")
        .check(main);
  }

  @Test
  void the_dispatcher_imports_nothing_of_the_worker() {
    noClasses()
        .that()
        .resideInAPackage("io.pgfleet.dispatcher..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pgfleet.worker..")
        .check(main);
  }

  @Test
  void shipped_code_imports_no_local_stack_benchmark_or_test_fixture() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgfleet.commands..",
            "io.pgfleet.runtime..",
            "io.pgfleet.worker..",
            "io.pgfleet.dispatcher..",
            "io.pgfleet.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DEV_ONLY)
        .check(main);
  }

  @Test
  void no_package_cycles() {
    slices().matching("io.pgfleet.(**)").should().beFreeOfCycles().check(main);
  }
}
