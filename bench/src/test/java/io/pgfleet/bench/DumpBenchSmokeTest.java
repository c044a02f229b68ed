package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.backupstream.BackupStreamBench;
import io.pgfleet.bench.compression.Codec;
import io.pgfleet.bench.compression.CompressionBench;
import io.pgfleet.bench.tablerestore.TableRestoreBench;
import io.pgfleet.bench.verify.VerifyBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup-stream, compression, verify-backup and table-restore scenarios on tiny data. */
class DumpBenchSmokeTest {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);

  @Test
  void backup_stream_times_four_sides_and_samples_the_worker_process_memory_at_each_size(
      @TempDir Path dir) throws Exception {
    Report report =
        BackupStreamBench.run(
            new BackupStreamBench.Options(
                DataSize.parse("2MB"), List.of(DataSize.parse("1MB")), 1, dir),
            SharedBenchStack.get(),
            logStream);

    assertThat(report.rows().get(0).metric()).startsWith("wall time against (a)");
    assertThat(report.rows().subList(0, 4))
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    assertThat(report.rows().get(2).metric()).contains("the same codec");
    // two sizes, three memory rows each, of the worker's own process
    assertThat(report.rows()).hasSize(4 + 6);
    assertThat(report.rows().subList(4, 10))
        .allSatisfy(r -> assertThat(r.pgfleet().median()).isPositive());
    assertThat(text())
        .contains("run 1 pgfleet")
        .contains("run 1 runbook")
        .contains("run 1 limit")
        .contains("run 1 zstd")
        .containsPattern("run 1 pgfleet +cpu [0-9.]+ s \\(bench JVM [0-9.]+, worker [0-9.]+, rest")
        .containsPattern("run 1 zstd +cpu [0-9.]+ s \\(bench JVM [0-9.]+, worker [0-9.]+, rest");
    assertThat(printed(report))
        .contains("| peak RSS at ")
        .contains("machine: ")
        .containsPattern("CPU seconds on the machine .*: pgfleet [0-9.]+ \\(the worker's JVM")
        .containsPattern("On [0-9]+ cores? a side takes at least");
  }

  @Test
  void compression_measures_each_codec_against_pg_dump_z6(@TempDir Path dir) throws Exception {
    Report report =
        CompressionBench.run(
            new CompressionBench.Options(
                DataSize.parse("2MB"),
                List.of(Codec.parse("gzip:1"), Codec.parse("zstd:3")),
                1,
                dir),
            SharedBenchStack.get(),
            logStream);

    assertThat(report.rows())
        .extracting(Report.Row::metric)
        .containsExactly(
            "gzip 1: time, s", "gzip 1: size, MB", "zstd 3: time, s", "zstd 3: size, MB");
    assertThat(report.rows()).allSatisfy(r -> assertThat(r.ratio()).isPositive().isFinite());
    // zstd on a dump this repetitive is far smaller than nothing at all, and than the raw data
    assertThat(report.rows().get(3).pgfleet().median()).isLessThan(2.0);
    assertThat(printed(report)).contains("Smaller or equal and at least 1.5x faster");
  }

  @Test
  void verify_backup_times_the_drill_against_the_manual_sequence(@TempDir Path dir)
      throws Exception {
    Report report =
        VerifyBench.run(
            new VerifyBench.Options(DataSize.parse("2MB"), 1, dir),
            SharedBenchStack.get(),
            logStream);

    assertThat(report.rows())
        .extracting(Report.Row::metric)
        .containsExactly("drill time, artifact gzip 6, s", "drill time, artifact zstd 2, s");
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    assertThat(text())
        .contains("run 1 pgfleet (gzip 6)")
        .contains("run 1 pgfleet (zstd 2)")
        .contains("run 1 runbook");
  }

  @Test
  void table_restore_times_one_table_against_a_full_restore(@TempDir Path dir) throws Exception {
    Report report =
        TableRestoreBench.run(
            new TableRestoreBench.Options(DataSize.parse("2MB"), 1, dir),
            SharedBenchStack.get(),
            logStream);

    assertThat(report.rows())
        .extracting(Report.Row::metric)
        .containsExactly("restore time, s", "bytes read, MB");
    assertThat(report.rows()).allSatisfy(r -> assertThat(r.ratio()).isPositive());
    // bytes are what the code decides; time at 2 MB is the machine's noise, never asserted
    assertThat(report.rows().get(1).ratio()).isLessThan(1);
    assertThat(text()).contains("run 1 one table").contains("run 1 full");
  }

  private String text() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private static String printed(Report report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
