package io.pgfleet.worker.procedure.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.archive.CustomArchive;
import io.pgfleet.worker.archive.DumpSession;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.ArtifactKeys;
import io.pgfleet.worker.storage.Envelope;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A logical backup: pg_dump in custom format, streamed to S3 as it is produced, or in directory
 * format with parallel jobs ({@link DirectoryDump}). A custom archive is read as it streams ({@link
 * CustomArchive}): each table's rows, bytes and content sha256, and the stored ranges of its data
 * block, go into the manifest with no second scan of the table. A directory dump's (or a
 * schema-only dump's) tables are counted in SQL in the dump's own snapshot. The manifest is written
 * last: until it exists the dump is not a backup.
 */
public final class BackupProcedure implements Procedure {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(BackupProcedure.class);
  static final String LOCK_WAIT = "60s";

  private final EncryptionKeys keys;
  private final Clock clock;

  public BackupProcedure(EncryptionKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.BACKUP;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    BackupParams params = command.params(BackupParams.class);
    TargetDatabase target = ctx.target();
    Instant startedAt = clock.instant();
    DumpSelection selection = DumpSelection.of(params);
    Manifest.Encryption encryption = encryption(params);
    if (params.directory()) {
      DirectoryDump.requireJobs(params, target.config().backup(), command.target());
    }
    try (DumpSnapshot snapshot = DumpSnapshot.export(target.connect("backup"))) {
      snapshot.requireTables(selection.named());
      Manifest.Server server = snapshot.server();
      PgTools.Tool pgDump = pgDumpFor(target, server);
      long databaseBytes = snapshot.databaseBytes();
      // A custom dump's tables are read in the archive as it streams; the others are counted here.
      boolean readArchive = !params.directory() && !params.schemaOnly();
      CompletableFuture<List<Manifest.TableCount>> counts =
          readArchive ? null : countInBackground(snapshot);

      StoredObject dump;
      List<Manifest.DumpFile> files = null;
      Streamed streamed = null;
      if (params.directory()) {
        DirectoryDump.requireSpace(
            target.config().backup(), DirectoryDump.estimateBytes(params, snapshot.tableBytes()));
        String prefix =
            ctx.store()
                .keys()
                .logicalDirectory(command.target(), ctx.lease().firstClaimedAt(), command.id());
        DirectoryDump.Stored stored =
            new DirectoryDump(ctx, params, encryption, keys)
                .run(pgDump, commonArguments(params, selection, snapshot.id()), prefix);
        dump = stored.directory();
        files = stored.files();
      } else {
        // Dated by the ledger's clock at the first claim, never by the producer's time.
        String key =
            ctx.store()
                .keys()
                .logicalDump(command.target(), ctx.lease().firstClaimedAt(), command.id());
        streamed =
            dump(ctx, params, selection, encryption, pgDump, snapshot.id(), key, databaseBytes);
        dump = streamed.object();
      }
      List<Manifest.TableCount> tables;
      if (counts != null) {
        tables = selection.filter(await(counts));
      } else if (streamed.scan().complete()) {
        tables = ArchiveContents.tables(streamed.scan());
      } else {
        log.warn("counting rows in SQL: the archive was not read ({})", streamed.scan().unread());
        tables = selection.filter(snapshot.countRows());
      }

      Manifest manifest =
          new Manifest(
              Manifest.VERSION,
              "logical",
              command.target(),
              target.config().database(),
              command.id(),
              ctx.lease().attempt(),
              ctx.lease().worker(),
              new Manifest.ArtifactObject(dump.uri(), dump.key(), dump.bytes(), dump.sha256()),
              new Manifest.Dump(
                  "pg_dump",
                  pgDump.version(),
                  params.format(),
                  params.effectiveCompression(),
                  params.compressionLevel(),
                  snapshot.id(),
                  params.schemaOnly(),
                  params.includeTables(),
                  params.excludeTables(),
                  params.jobs()),
              server,
              startedAt,
              clock.instant(),
              tables,
              encryption,
              files,
              streamed == null ? null : ArchiveContents.archive(streamed));
      String manifestKey = ArtifactKeys.manifestOf(dump.key());
      ctx.store()
          .put(
              manifestKey,
              Json.mapper().writeValueAsBytes(manifest),
              "application/json",
              params.serverSideEncryption());

      return new ProcedureResult(
          List.of(
              new Artifact(
                  "logical",
                  dump.uri(),
                  ctx.store().uri(manifestKey),
                  dump.bytes(),
                  dump.sha256())),
          statistics(server, pgDump, databaseBytes, dump, tables, params));
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR,
          "backup of " + command.target() + " failed: " + e.getMessage(),
          e);
    } catch (StorageException | JsonProcessingException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot store the backup: " + e.getMessage(), e);
    }
  }

  /** The key a backup asking for encryption uses, named in its manifest. */
  private Manifest.Encryption encryption(BackupParams params) throws ProcedureFailure {
    if (!params.encrypt()) {
      return null;
    }
    if (keys.activeKeyId() == null) {
      throw new ProcedureFailure(
          ErrorCode.ENCRYPTION_KEY_UNAVAILABLE,
          "encrypt needs a backup key: set encryption.activeKeyId and encryption.keys in the"
              + " worker config");
    }
    return new Manifest.Encryption(Envelope.ALGORITHM, keys.activeKeyId());
  }

  /** A streamed custom dump: the stored object, what was read in it, and its stored pieces. */
  record Streamed(StoredObject object, CustomArchive.Scan scan, List<Manifest.Piece> pieces) {}

  private Streamed dump(
      RunContext ctx,
      BackupParams params,
      DumpSelection selection,
      Manifest.Encryption encryption,
      PgTools.Tool pgDump,
      String snapshotId,
      String key,
      long databaseBytes)
      throws ProcedureFailure, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("--format=custom");
    args.addAll(commonArguments(params, selection, snapshotId));
    PgDump process =
        new PgDump(pgDump, args, DumpSession.environment(ctx.target().libpqEnvironment("backup")));
    MultipartUpload upload =
        ctx.store()
            .upload(key, "application/vnd.postgresql.custom-dump", params.serverSideEncryption());
    try {
      StoredEncoding encoding = StoredEncoding.around(upload, params, encryption, keys);
      CustomArchive.Scan[] scan = new CustomArchive.Scan[1];
      PgDump.Exit exit;
      try (OutputStream out = encoding.out()) {
        exit =
            process.run(
                in ->
                    scan[0] =
                        CustomArchive.copy(
                            in,
                            out,
                            bytes -> ctx.progress().report(bytes, databaseBytes),
                            encoding.cuts()),
                ctx.cancellation());
      }
      if (exit.code() != 0) {
        throw dumpFailed(ctx.target(), exit);
      }
      return new Streamed(upload.complete(), scan[0], encoding.pieces());
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "streaming the dump to " + ctx.store().uri(key) + " failed: " + e.getMessage(),
          e);
    } finally {
      upload.abort(); // no-op once complete; otherwise no part is left behind
    }
  }

  /** What every dump passes to pg_dump, whatever its format. */
  static List<String> commonArguments(
      BackupParams params, DumpSelection selection, String snapshotId) {
    List<String> args = new ArrayList<>();
    args.add("--compress=" + StoredEncoding.pgDumpLevel(params));
    args.add("--snapshot=" + snapshotId);
    args.add("--no-password");
    // A migration holding an exclusive lock must fail the backup (retryable by the next run), not
    // hang it for hours while the lease keeps it alive.
    args.add("--lock-wait-timeout=" + LOCK_WAIT);
    if (params.schemaOnly()) {
      args.add("--schema-only");
    }
    args.addAll(selection.pgDumpArguments());
    return args;
  }

  static ProcedureFailure dumpFailed(TargetDatabase target, PgDump.Exit exit) {
    String stderr = target.redact(exit.stderr());
    ErrorCode code = ErrorCode.PG_DUMP_FAILED;
    if (stderr.contains("password authentication failed")) {
      code = ErrorCode.TARGET_AUTH_FAILED;
    } else if (stderr.contains("could not connect") || stderr.contains("Connection refused")) {
      code = ErrorCode.TARGET_UNREACHABLE;
    }
    return new ProcedureFailure(
        code,
        "pg_dump exited with code "
            + exit.code()
            + ": "
            + (stderr.isEmpty() ? "(no output)" : stderr));
  }

  private static PgTools.Tool pgDumpFor(TargetDatabase target, Manifest.Server server)
      throws ProcedureFailure {
    int serverMajor = server.versionNum() / 10000;
    PgTools.Tool tool;
    try {
      tool = PgTools.find("pg_dump", target.config().pgBinDir(), serverMajor);
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
    if (tool.major() < serverMajor) {
      throw new ProcedureFailure(
          ErrorCode.CLIENT_TOOL_UNSUITABLE,
          "pg_dump "
              + tool.version()
              + " cannot dump a PostgreSQL "
              + server.version()
              + " server: install postgresql-client-"
              + serverMajor
              + " on the worker, or set pgBinDir for target "
              + target.config().name());
    }
    return tool;
  }

  private static CompletableFuture<List<Manifest.TableCount>> countInBackground(DumpSnapshot s) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return s.countRows();
          } catch (SQLException e) {
            throw new IllegalStateException("counting rows failed: " + e.getMessage(), e);
          }
        },
        task -> {
          Thread t = new Thread(task, "pgfleet-row-count");
          t.setDaemon(true);
          t.start();
        });
  }

  private static List<Manifest.TableCount> await(CompletableFuture<List<Manifest.TableCount>> f)
      throws ProcedureFailure, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new ProcedureFailure(ErrorCode.TARGET_ERROR, e.getCause().getMessage(), e.getCause());
    }
  }

  private static Map<String, Object> statistics(
      Manifest.Server server,
      PgTools.Tool pgDump,
      long databaseBytes,
      StoredObject dump,
      List<Manifest.TableCount> tables,
      BackupParams params) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("tables", tables.size());
    stats.put("rows", tables.stream().mapToLong(Manifest.TableCount::rows).sum());
    stats.put("databaseBytes", databaseBytes);
    stats.put("dumpBytes", dump.bytes());
    stats.put("compression", params.effectiveCompression());
    stats.put("compressionLevel", params.compressionLevel());
    stats.put("encrypted", params.encrypt());
    if (params.directory()) {
      stats.put("format", params.format());
      stats.put("jobs", params.jobs());
    }
    stats.put("serverVersion", server.version());
    stats.put("pgDumpVersion", pgDump.version());
    return stats;
  }
}
