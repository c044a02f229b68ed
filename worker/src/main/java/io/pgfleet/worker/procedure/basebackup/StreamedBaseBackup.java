package io.pgfleet.worker.procedure.basebackup;

import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * A base backup with no scratch copy: pg_basebackup writes one tar to its stdout, which goes
 * through sha256 and zstd straight into the multipart upload of {@code base.tar.zst}. The
 * backup_manifest pg_basebackup puts at the end of that tar is kept on the way and also stored
 * beside it. Only for clusters without other tablespaces (pg_basebackup writes one archive per
 * tablespace, and only one can go to stdout).
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
      Cancellation cancellation)
      throws IOException, ProcedureFailure, InterruptedException {
    PgBaseBackup.Running running = pgBaseBackup.streaming(label, checkpoint, cancellation);
    String key = prefix + "base.tar.zst";
    MessageDigest digest = CompressedUploads.sha256();
    long[] bytes = {0};
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      byte[] manifest;
      try (InputStream in = new DigestInputStream(running.stdout(), digest);
          OutputStream out = counting(compressing(upload), bytes)) {
        manifest = TarManifestTap.copy(in, out, "backup_manifest");
      } catch (IOException e) {
        running.process().destroyForcibly();
        PgBaseBackup.Exit exit = running.await(cancellation);
        if (exit.code() != 0 && !exit.stderr().isBlank()) {
          throw PgBaseBackupTool.failed(target, exit);
        }
        throw e;
      }
      PgBaseBackup.Exit exit = running.await(cancellation);
      if (exit.code() != 0) {
        throw PgBaseBackupTool.failed(target, exit);
      }
      if (manifest == null) {
        throw new ProcedureFailure(
            ErrorCode.PG_BASEBACKUP_FAILED, "pg_basebackup's tar holds no backup_manifest");
      }
      StoredObject stored = upload.complete();
      BaseManifest.File base =
          new BaseManifest.File(
              "base.tar",
              key,
              bytes[0],
              HexFormat.of().formatHex(digest.digest()),
              stored.bytes(),
              stored.sha256());
      return new TakenBaseBackup(
          List.of(base, CompressedUploads.bytes(store, "backup_manifest", manifest, prefix)),
          manifest);
    } finally {
      upload.abort();
      running.process().destroyForcibly();
    }
  }

  /** zstd level 3 on its own threads, so that reading and hashing the tar overlap with it. */
  private static OutputStream compressing(MultipartUpload upload) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(new KeepOpen(upload), 3);
    zstd.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
    return zstd;
  }

  private static OutputStream counting(OutputStream out, long[] count) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count[0] += len;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        count[0]++;
      }
    };
  }
}
