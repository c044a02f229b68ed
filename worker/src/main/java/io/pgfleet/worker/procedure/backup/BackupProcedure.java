package io.pgfleet.worker.procedure.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.archive.CustomArchive;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.ArtifactKeys;
import io.pgfleet.worker.storage.Envelope;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
      PgTools.Tool pgDump = PgDumpTool.forServer(target, server);
      long databaseBytes = snapshot.databaseBytes();
      long tableBytes = params.directory() ? snapshot.tableBytes() : 0;
      // A custom dump's tables are read in the archive as it streams; the others are counted here.
      // From here the snapshot's connection belongs to the counting thread until it is awaited:
      // a query beside it would fail as "transaction is aborted" when a count fails first.
      boolean readArchive = !params.directory() && !params.schemaOnly();
      BackgroundRowCount counts = readArchive ? null : BackgroundRowCount.start(snapshot);
      List<String> arguments = PgDumpArguments.common(params, selection, snapshot.id());

      StoredObject dump;
      List<Manifest.DumpFile> files = null;
      CustomDump.Streamed streamed = null;
      if (params.directory()) {
        DirectoryDump.requireSpace(
            target.config().backup(), DirectoryDump.estimateBytes(params, tableBytes));
        String prefix =
            ctx.store()
                .keys()
                .logicalDirectory(command.target(), ctx.lease().firstClaimedAt(), command.id());
        DirectoryDump.Stored stored =
            new DirectoryDump(ctx, params, encryption, keys).run(pgDump, arguments, prefix);
        dump = stored.directory();
        files = stored.files();
      } else {
        // Dated by the ledger's clock at the first claim, never by the producer's time.
        String key =
            ctx.store()
                .keys()
                .logicalDump(command.target(), ctx.lease().firstClaimedAt(), command.id());
        streamed =
            CustomDump.stream(ctx, params, arguments, encryption, keys, pgDump, key, databaseBytes);
        dump = streamed.object();
      }
      List<Manifest.TableCount> tables;
      if (counts != null) {
        tables = selection.filter(counts.await());
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
          BackupStatistics.of(server, pgDump, databaseBytes, dump, tables, params));
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
}
