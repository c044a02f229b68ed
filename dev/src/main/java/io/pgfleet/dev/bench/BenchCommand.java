package io.pgfleet.dev.bench;

import picocli.CommandLine.Command;

/** {@code pgfleet bench <scenario>}: pgfleet against the runbooks' way, side by side. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks on a local stack started for the purpose: each scenario runs pgfleet and its"
            + " baseline alternately, then prints medians, min/max and the ratio"
            + " pgfleet/baseline.",
    subcommands = {
      BenchPurge.class,
      BenchBackupStream.class,
      BenchCompression.class,
      BenchVerifyBackup.class,
      BenchTableRestore.class,
      BenchWalPush.class,
      BenchBaseBackup.class,
      BenchFleetNightly.class,
      BenchCommandOverhead.class,
      BenchScale.class,
      BenchRpo.class,
      BenchPitr.class
    })
public final class BenchCommand {}
