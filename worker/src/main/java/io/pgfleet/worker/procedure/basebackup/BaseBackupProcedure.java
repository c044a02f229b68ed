package io.pgfleet.worker.procedure.basebackup;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.WalArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A physical base backup: pg_basebackup (tar, WAL fetched into the backup) streamed from its stdout
 * through sha256 and zstd into {@code <prefix>/<target>/base/<id>/base.tar.zst}, with no local copy
 * (a cluster with extra tablespaces goes through a scratch directory, one tar per tablespace),
 * pg_basebackup's own backup_manifest kept beside it, and {@code manifest.json} written last.
 * Cataloged as kind {@code base}.
 */
public final class BaseBackupProcedure implements Procedure {
  private final Clock clock;

  public BaseBackupProcedure(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.BASE_BACKUP;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    BaseBackupParams params = command.params(BaseBackupParams.class);
    TargetDatabase target = ctx.target();
    Instant startedAt = clock.instant();
    Server server = server(target);
    PgTools.Tool tool = pgBasebackup(target, server);
    requireStore(ctx.store());
    boolean streamed = !hasTablespaces(target);
    PgBaseBackup pgBaseBackup = new PgBaseBackup(tool, target.libpqEnvironment("base-backup"));
    String label = "pgfleet " + command.id();
    String prefix = ctx.store().keys().basePrefix(command.target(), command.id());
    Path scratch = null;
    try {
      List<BaseManifest.File> files = new ArrayList<>();
      JsonNode walRange;
      if (streamed) {
        StreamedBaseBackup.Taken taken =
            StreamedBaseBackup.take(
                pgBaseBackup,
                target,
                ctx.store(),
                prefix,
                label,
                params.checkpoint(),
                ctx.cancellation());
        files.addAll(taken.files());
        walRange = walRange(Json.mapper().readTree(taken.backupManifest()));
      } else {
        scratch = Files.createTempDirectory("pgfleet-base-");
        Path out = scratch.resolve("backup");
        PgBaseBackup.Exit exit =
            pgBaseBackup.run(out, label, params.checkpoint(), ctx.cancellation());
        if (exit.code() != 0) {
          throw failed(target, exit);
        }
        walRange = walRange(Json.mapper().readTree(out.resolve("backup_manifest").toFile()));
        for (Path file : files(out)) {
          ctx.cancellation().check();
          files.add(upload(ctx.store(), file, prefix));
        }
      }
      BaseManifest manifest =
          new BaseManifest(
              BaseManifest.VERSION,
              BaseManifest.KIND,
              command.target(),
              command.id(),
              walRange.path("Start-LSN").asText(),
              walRange.path("End-LSN").asText(),
              walRange.path("Timeline").asInt(),
              startedAt,
              clock.instant(),
              server.version(),
              server.versionNum(),
              server.systemIdentifier(),
              tool.version(),
              files);
      String manifestKey = prefix + "manifest.json";
      ctx.store().put(manifestKey, Json.mapper().writeValueAsBytes(manifest), "application/json");
      BaseManifest.File base =
          files.stream().filter(f -> f.name().equals("base.tar")).findFirst().orElseThrow();
      long stored = files.stream().mapToLong(BaseManifest.File::storedBytes).sum();
      Map<String, Object> stats = statistics(manifest, stored);
      stats.put("streamed", streamed);
      window(ctx.store(), command.target())
          .ifPresent(w -> stats.put("recoverableWindow", w.statistics(clock.instant())));
      return new ProcedureResult(
          List.of(
              new Artifact(
                  BaseManifest.KIND,
                  ctx.store().uri(base.key()),
                  ctx.store().uri(manifestKey),
                  stored,
                  base.storedSha256())),
          stats);
    } catch (StorageException | IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot store the base backup: " + e.getMessage(), e);
    } finally {
      deleteQuietly(scratch);
    }
  }

  /** No checkpoint is forced, nor any file copied, for a store that cannot take the backup. */
  private static void requireStore(ArtifactStore store) throws ProcedureFailure {
    try {
      store.requireBucket();
    } catch (StorageException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot store the base backup: " + e.getMessage(), e);
    }
  }

  record Server(String version, int versionNum, String systemIdentifier) {}

  private static Server server(TargetDatabase target) throws ProcedureFailure {
    try (Connection c = target.connect("base-backup");
        Statement st = c.createStatement()) {
      String version;
      int num;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT current_setting('server_version'),"
                  + " current_setting('server_version_num')::int")) {
        rs.next();
        version = rs.getString(1);
        num = rs.getInt(2);
      }
      return new Server(version, num, systemIdentifier(c));
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "cannot read the server's version: " + e.getMessage(), e);
    }
  }

  /** Null when the target's user may not call pg_control_system(). */
  private static String systemIdentifier(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return null;
    }
  }

  private static PgTools.Tool pgBasebackup(TargetDatabase target, Server server)
      throws ProcedureFailure {
    int major = server.versionNum() / 10000;
    try {
      PgTools.Tool tool = PgTools.find("pg_basebackup", target.config().pgBinDir(), major);
      if (tool.major() < major) {
        throw new IllegalStateException(
            "pg_basebackup "
                + tool.version()
                + " cannot back up PostgreSQL "
                + server.version()
                + ": install postgresql-client-"
                + major
                + " on the worker, or set pgBinDir for target "
                + target.config().name());
      }
      return tool;
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
  }

  /** The window after this backup; a listing that fails leaves it out, the backup stands. */
  private static java.util.Optional<RecoverableWindow> window(ArtifactStore store, String target) {
    try {
      return BaseManifests.window(store, target);
    } catch (StorageException | WalArchiveException e) {
      return java.util.Optional.empty();
    }
  }

  static ProcedureFailure failed(TargetDatabase target, PgBaseBackup.Exit exit) {
    String stderr = target.redact(exit.stderr());
    ErrorCode code = ErrorCode.PG_BASEBACKUP_FAILED;
    String hint = "";
    if (stderr.contains("password authentication failed")) {
      code = ErrorCode.TARGET_AUTH_FAILED;
    } else if (stderr.contains("could not connect") || stderr.contains("Connection refused")) {
      code = ErrorCode.TARGET_UNREACHABLE;
    } else if (stderr.contains("replication")) {
      hint =
          " (the target's user needs the REPLICATION attribute and pg_hba.conf a"
              + " 'host replication' entry for the worker)";
    }
    return new ProcedureFailure(
        code,
        "pg_basebackup exited with code "
            + exit.code()
            + ": "
            + (stderr.isEmpty() ? "(no output)" : stderr)
            + hint);
  }

  /** Whether the cluster has tablespaces besides the default ones: then no streamed backup. */
  private static boolean hasTablespaces(TargetDatabase target) throws ProcedureFailure {
    try (Connection c = target.connect("base-backup");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_tablespace WHERE spcname NOT IN"
                    + " ('pg_default', 'pg_global')")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "cannot list the server's tablespaces: " + e.getMessage(), e);
    }
  }

  /** The single WAL range of the backup's timeline, from pg_basebackup's backup_manifest. */
  private static JsonNode walRange(JsonNode backupManifest) throws ProcedureFailure {
    JsonNode ranges = backupManifest.path("WAL-Ranges");
    if (!ranges.isArray() || ranges.size() == 0) {
      throw new ProcedureFailure(
          ErrorCode.PG_BASEBACKUP_FAILED, "pg_basebackup's backup_manifest names no WAL range");
    }
    return ranges.get(ranges.size() - 1);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Stores {@code content} as {@code <name>.zst} below {@code prefix}. */
  static BaseManifest.File upload(ArtifactStore store, String name, byte[] content, String prefix)
      throws IOException {
    String key = prefix + name + ".zst";
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      try (OutputStream out = new ZstdOutputStream(new KeepOpen(upload), 3)) {
        out.write(content);
      }
      StoredObject stored = upload.complete();
      return new BaseManifest.File(
          name,
          key,
          content.length,
          HexFormat.of().formatHex(sha256().digest(content)),
          stored.bytes(),
          stored.sha256());
    } finally {
      upload.abort();
    }
  }

  private static BaseManifest.File upload(ArtifactStore store, Path file, String prefix)
      throws IOException {
    String name = file.getFileName().toString();
    String key = prefix + name + ".zst";
    MessageDigest digest = sha256();
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
          OutputStream out = new ZstdOutputStream(new KeepOpen(upload), 3)) {
        in.transferTo(out);
      }
      StoredObject stored = upload.complete();
      return new BaseManifest.File(
          name,
          key,
          Files.size(file),
          HexFormat.of().formatHex(digest.digest()),
          stored.bytes(),
          stored.sha256());
    } finally {
      upload.abort();
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> statistics(BaseManifest m, long storedBytes) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("startLsn", m.startLsn());
    stats.put("stopLsn", m.stopLsn());
    stats.put("timeline", m.timeline());
    stats.put("files", m.files().size());
    stats.put("backupBytes", m.files().stream().mapToLong(BaseManifest.File::bytes).sum());
    stats.put("storedBytes", storedBytes);
    stats.put("serverVersion", m.serverVersion());
    stats.put("pgBasebackupVersion", m.pgBasebackupVersion());
    return stats;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a scratch directory left in /tmp is harmless
    }
  }

  /** Lets the zstd stream close without closing (and so aborting) the upload. */
  static final class KeepOpen extends java.io.FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
