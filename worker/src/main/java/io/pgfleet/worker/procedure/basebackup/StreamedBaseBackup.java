package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.KeepOpen;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A base backup with no scratch copy: pg_basebackup writes one tar to its stdout, which goes
 * through zstd straight into the multipart upload of {@code base.tar.zst} (sha256 of the stored
 * bytes, computed by the upload; the tar itself is not hashed a second time, see {@link
 * BaseManifest.File}). The backup_manifest pg_basebackup puts at the end of that tar is kept on the
 * way and also stored beside it. Only for clusters without other tablespaces (pg_basebackup writes
 * one archive per tablespace, and only one can go to stdout).
 */
final class StreamedBaseBackup {
  private StreamedBaseBackup() {}

  static TakenBaseBackup take(
      PgBaseBackup pgBaseBackup,
      TargetDatabase target,
      Artifacts store,
      String prefix,
      String label,
      String checkpoint,
      Cancellation cancellation,
      PhaseClock clock)
      throws IOException, ProcedureFailure, InterruptedException {
    PgBaseBackup.Running running = pgBaseBackup.streaming(label, checkpoint, cancellation);
    String key = prefix + "base.tar.zst";
    TimedStreams.Meter waited = new TimedStreams.Meter();
    TimedStreams.Meter handed = new TimedStreams.Meter();
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      byte[] manifest;
      OutputStream zstd = BaseTarCompression.around(new KeepOpen(upload));
      try (InputStream in = TimedStreams.reading(running.stdout(), waited);
          OutputStream out = TimedStreams.writing(zstd, handed)) {
        manifest = TarManifestTap.copy(in, out, "backup_manifest");
        clock.markAt("firstTarByte", waited.firstByteNanos());
        clock.mark("tarRead");
        clock.spent("pgBasebackupWait", waited.nanos());
        clock.spent("compressorWrite", handed.nanos());
      } catch (IOException e) {
        running.process().destroyForcibly();
        PgBaseBackup.Exit exit = running.await(cancellation);
        if (exit.code() != 0 && !exit.stderr().isBlank()) {
          throw PgBaseBackupTool.failed(target, exit);
        }
        throw e;
      }
      clock.mark("compressed");
      PgBaseBackup.Exit exit = running.await(cancellation);
      clock.mark("pgBasebackupExited");
      if (exit.code() != 0) {
        throw PgBaseBackupTool.failed(target, exit);
      }
      if (manifest == null) {
        throw new ProcedureFailure(
            ErrorCode.PG_BASEBACKUP_FAILED, "pg_basebackup's tar holds no backup_manifest");
      }
      StoredObject stored = clock.time("uploadComplete", upload::complete);
      clock.mark("uploaded");
      BaseManifest.File base =
          new BaseManifest.File(
              "base.tar",
              key,
              handed.bytes(),
              null, // zstd's content checksum and pg_verifybackup stand for it (BaseManifest.File)
              stored.bytes(),
              stored.sha256());
      BaseManifest.File backupManifest =
          clock.time(
              "backupManifestStore",
              () -> CompressedUploads.bytes(store, "backup_manifest", manifest, prefix));
      return new TakenBaseBackup(List.of(base, backupManifest), manifest);
    } finally {
      upload.abort();
      running.process().destroyForcibly();
    }
  }
}
