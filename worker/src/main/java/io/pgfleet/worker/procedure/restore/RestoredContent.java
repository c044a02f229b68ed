package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.archive.ArchiveCuts;
import io.pgfleet.worker.archive.ArchiveScan;
import io.pgfleet.worker.archive.CustomArchive;
import io.pgfleet.worker.archive.DumpSession;
import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.backup.PgDump;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.Redaction;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The content of a restored database, hashed as the backup hashed it: pg_dump itself writes the
 * restored tables' data (so its session, column lists and COPY format are the dump's), and {@link
 * CustomArchive} reads it. Used by the drill when the manifest holds every table's hash.
 */
final class RestoredContent {
  private RestoredContent() {}

  /** Whether the manifest can be checked by content: a custom archive read as it streamed. */
  static boolean provable(Manifest manifest) {
    return manifest.archive() != null
        && !Boolean.TRUE.equals(manifest.dump().schemaOnly())
        && RowHash.named(manifest.archive().rowHash()).isPresent()
        && manifest.tables().stream().allMatch(t -> t.hash() != null);
  }

  /** What the backup hashed each row with ({@link #provable} manifests only). */
  static RowHash rowHash(Manifest manifest) {
    String name = manifest.archive().rowHash();
    return RowHash.named(name)
        .orElseThrow(() -> new IllegalStateException("no row hash named " + name));
  }

  /**
   * {@code schema.table} to the content pg_dump writes of the restored database: two pg_dump
   * processes over disjoint halves of the tables ({@link ReadBackSplit}), read side by side.
   */
  static Map<String, TableDigest.Content> read(
      PgTools.Tool pgDump, Map<String, String> libpq, Manifest manifest, Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    List<List<String>> sides = ReadBackSplit.of(manifest.tables()).arguments();
    String encoding = manifest.archive().encoding();
    RowHash rowHash = rowHash(manifest);
    Map<String, TableDigest.Content> content = new TreeMap<>();
    if (sides.size() == 1) {
      content.putAll(readOne(pgDump, libpq, encoding, rowHash, sides.get(0), cancellation));
      return content;
    }
    ExecutorService other =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "drill-read-back");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Map<String, TableDigest.Content>> second =
          other.submit(() -> readOne(pgDump, libpq, encoding, rowHash, sides.get(1), cancellation));
      content.putAll(readOne(pgDump, libpq, encoding, rowHash, sides.get(0), cancellation));
      try {
        content.putAll(second.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ProcedureFailure failure) {
          throw failure;
        }
        if (e.getCause() instanceof InterruptedException interrupted) {
          throw interrupted;
        }
        throw new IllegalStateException(e.getCause());
      }
      return content;
    } finally {
      other.shutdownNow();
    }
  }

  static Map<String, TableDigest.Content> readOne(
      PgTools.Tool pgDump,
      Map<String, String> libpq,
      String encoding,
      RowHash rowHash,
      List<String> tables,
      Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--format=custom", "--compress=0", "--data-only"));
    args.add("--no-password");
    if (encoding != null) {
      args.add("--encoding=" + encoding);
    }
    args.addAll(tables);
    PgDump process = new PgDump(pgDump, args, DumpSession.environment(libpq));
    ArchiveScan[] scan = new ArchiveScan[1];
    try {
      PgDump.Exit exit =
          process.run(
              in ->
                  scan[0] =
                      CustomArchive.copy(
                          in, OutputStream.nullOutputStream(), ArchiveCuts.NONE, rowHash),
              cancellation);
      if (exit.code() != 0 || !scan[0].complete()) {
        throw new ProcedureFailure(
            ErrorCode.VERIFICATION_FAILED,
            "reading the restored content failed: "
                + (exit.code() != 0
                    ? "pg_dump exited with " + exit.code() + ": " + Redaction.redact(exit.stderr())
                    : scan[0].unread()));
      }
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.VERIFICATION_FAILED,
          "reading the restored content failed: " + e.getMessage(),
          e);
    }
    Map<String, TableDigest.Content> content = new TreeMap<>();
    scan[0]
        .tables()
        .forEach(t -> content.put(Manifest.tableKey(t.schema(), t.table()), t.content()));
    return content;
  }

  /** Every table whose content differs from the manifest, one readable line each. */
  static List<String> differences(Manifest manifest, Map<String, TableDigest.Content> restored) {
    Map<String, Manifest.TableCount> expected = new TreeMap<>();
    manifest.tables().forEach(t -> expected.put(t.key(), t));
    TreeSet<String> all = new TreeSet<>(expected.keySet());
    all.addAll(restored.keySet());
    List<String> lines = new ArrayList<>();
    for (String table : all) {
      Manifest.TableCount want = expected.get(table);
      TableDigest.Content got = restored.get(table);
      if (want == null) {
        lines.add(table + ": restored with " + got.rows() + " rows but not in the manifest");
      } else if (got == null) {
        lines.add(table + ": " + want.rows() + " rows in the manifest, missing after restore");
      } else if (want.rows() != got.rows()
          || !want.bytes().equals(got.bytes())
          || !want.hash().equals(got.hash())) {
        lines.add(
            table
                + ": content differs: the manifest has "
                + describe(want.rows(), want.bytes(), want.hash())
                + ", the restore "
                + describe(got.rows(), got.bytes(), got.hash()));
      }
    }
    return lines;
  }

  private static String describe(long rows, long bytes, String hash) {
    return rows + " rows, " + bytes + " bytes, hash " + hash.substring(0, 16) + "…";
  }
}
