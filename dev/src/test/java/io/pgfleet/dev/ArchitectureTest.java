package io.pgfleet.dev;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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
    // Under `mvn verify` the other modules reach this one as jars (target/classes only when a
    // phase before package runs): import both, but neither test classes nor the test-jars.
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.pgfleet");
  }

  @Test
  void the_rules_see_the_main_code_of_every_shipped_module() {
    for (String shipped :
        List.of(
            "io.pgfleet.commands.Command",
            "io.pgfleet.runtime.Resources",
            "io.pgfleet.worker.Worker",
            "io.pgfleet.dispatcher.Dispatcher",
            "io.pgfleet.cli.Main")) {
      assertThat(main.contain(shipped)).as(shipped).isTrue();
    }
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
  void the_clis_submit_runs_and_result_clients_talk_to_the_fleet_only_through_kafka_and_the_api() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgfleet.cli.submit..", "io.pgfleet.cli.runs..", "io.pgfleet.cli.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.pgfleet.worker..", "io.pgfleet.dispatcher..", "io.pgfleet.runtime..")
        .check(main);
  }

  @Test
  void only_the_worker_storage_package_talks_to_s3_through_the_aws_sdk() {
    // dev and bench keep a plain S3 client on purpose: the independent reference they check and
    // measure pgfleet against (ArtifactCheck, the runbook's upload baseline).
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.pgfleet.worker.storage..", "io.pgfleet.dev..", "io.pgfleet.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("software.amazon.awssdk.services.s3..")
        .check(main);
  }

  @Test
  void no_package_cycles() {
    slices().matching("io.pgfleet.(**)").should().beFreeOfCycles().check(main);
  }
}
