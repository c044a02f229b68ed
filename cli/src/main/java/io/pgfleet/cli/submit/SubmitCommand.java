package io.pgfleet.cli.submit;

import picocli.CommandLine.Command;

/** {@code pgfleet submit <operation> --target T [--wait]}: publishes one command. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Publishes a maintenance command to a target's topic.",
    subcommands = {
      SubmitBackup.class,
      SubmitVerifyBackup.class,
      SubmitRestore.class,
      SubmitPruneBackups.class,
      SubmitBaseBackup.class,
      SubmitRestorePitr.class,
      SubmitVerifyBaseBackup.class,
      SubmitVacuum.class,
      SubmitAnalyze.class,
      SubmitReindex.class,
      SubmitHealthCheck.class,
      SubmitTerminateBackends.class,
      SubmitCheckIntegrity.class,
      SubmitRepack.class,
      SubmitResetStatementStats.class,
      SubmitPurge.class
    })
public final class SubmitCommand {}
