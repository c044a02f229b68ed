package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.archive.ArchiveScan;
import io.pgfleet.worker.archive.CustomArchive;
import io.pgfleet.worker.archive.DumpSession;
import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.target.PgTools;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom-format dump streamed to S3 as pg_dump writes it, and read on the way ({@link
 * CustomArchive}): each table's rows, bytes and sha256, and where its data block is stored.
 */
final class CustomDump {
  /** A streamed custom dump: the stored object, what was read in it, and its stored pieces. */
  record Streamed(StoredObject object, ArchiveScan scan, List<Manifest.Piece> pieces) {}

  private CustomDump() {}

  static Streamed stream(
      RunContext ctx,
      BackupParams params,
      List<String> commonArguments,
      Manifest.Encryption encryption,
      EncryptionKeys keys,
      PgTools.Tool pgDump,
      String key,
      long databaseBytes)
      throws ProcedureFailure, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("--format=custom");
    args.addAll(commonArguments);
    PgDump process =
        new PgDump(pgDump, args, DumpSession.environment(ctx.target().libpqEnvironment("backup")));
    MultipartUpload upload =
        ctx.store()
            .upload(key, "application/vnd.postgresql.custom-dump", params.serverSideEncryption());
    try {
      StoredEncoding encoding = StoredEncoding.around(upload, params, encryption, keys);
      ArchiveScan[] scan = new ArchiveScan[1];
      PgDump.Exit exit;
      try (OutputStream out = encoding.out();
          EncodingThread encoder =
              new EncodingThread(
                  out,
                  encoding.cuts(),
                  bytes -> ctx.progress().report(bytes, databaseBytes),
                  "pgfleet-backup-encoding")) {
        exit =
            process.run(
                in -> scan[0] = CustomArchive.copy(in, encoder, encoder, RowHash.CURRENT),
                ctx.cancellation());
      }
      if (exit.code() != 0) {
        throw PgDumpTool.failed(ctx.target(), exit);
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
}
