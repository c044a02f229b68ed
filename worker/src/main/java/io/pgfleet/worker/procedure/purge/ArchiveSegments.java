package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The S3 side of a purge archive: where its segments go, and sealing one: complete the upload, read
 * the object back to check its size and sha256, write its manifest. A sealed segment's rows may be
 * deleted; an unsealed one's may not.
 *
 * <pre>
 * &lt;prefix&gt;/&lt;target&gt;/archive/&lt;policy&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;commandId&gt;/&lt;attempt&gt;-&lt;n&gt;.csv.gz
 * &lt;prefix&gt;/&lt;target&gt;/archive/&lt;policy&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;commandId&gt;/&lt;attempt&gt;-&lt;n&gt;.manifest.json
 * </pre>
 *
 * Every attempt of a command writes its own segments, so a takeover never overwrites an archive
 * whose rows are already deleted.
 */
final class ArchiveSegments {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final RunContext ctx;
  private final PurgeTable t;
  private final OffsetDateTime cutoff;
  private final Clock clock;

  ArchiveSegments(RunContext ctx, PurgeTable t, OffsetDateTime cutoff, Clock clock) {
    this.ctx = ctx;
    this.t = t;
    this.cutoff = cutoff;
    this.clock = clock;
  }

  ArchiveSegment open(int number) throws IOException {
    String key = base() + number + ".csv.gz";
    return new ArchiveSegment(
        number, key, ctx.store().upload(key, "application/gzip"), clock.instant());
  }

  /** Completes, verifies and describes the segment; returns it as an artifact. */
  Artifact seal(ArchiveSegment s) throws IOException, ProcedureFailure {
    StoredObject object;
    try {
      object = s.complete();
    } finally {
      s.abort(); // no-op once complete
    }
    verify(object);
    String manifestKey = base() + s.number + ".manifest.json";
    ArchiveManifest manifest =
        new ArchiveManifest(
            ArchiveManifest.VERSION,
            ArchiveManifest.KIND,
            ctx.command().target(),
            ctx.target().config().database(),
            ctx.command().id(),
            ctx.lease().attempt(),
            ctx.lease().worker(),
            t.policy().name(),
            t.table().toString(),
            t.keyName(),
            t.policy().timeColumn(),
            cutoff.toInstant(),
            s.number,
            new Manifest.ArtifactObject(
                object.uri(), object.key(), object.bytes(), object.sha256()),
            s.rows,
            ArchiveManifest.Format.CSV_GZIP,
            t.columns(),
            s.startedAt,
            clock.instant());
    ctx.store().put(manifestKey, Json.mapper().writeValueAsBytes(manifest), "application/json");
    return new Artifact(
        ArchiveManifest.KIND,
        object.uri(),
        ctx.store().uri(manifestKey),
        object.bytes(),
        object.sha256());
  }

  /** Reads the object back: its rows are deleted only if S3 holds exactly what was written. */
  private void verify(StoredObject object) throws IOException, ProcedureFailure {
    MessageDigest sha256 = sha256();
    long bytes = 0;
    try (InputStream in = ctx.store().read(object.key())) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        bytes += n;
      }
    }
    String read = HexFormat.of().formatHex(sha256.digest());
    if (bytes != object.bytes() || !read.equals(object.sha256())) {
      ctx.store().delete(object.key());
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "archive object "
              + object.uri()
              + " read back as "
              + bytes
              + " bytes with sha256 "
              + read
              + " instead of "
              + object.bytes()
              + " bytes with sha256 "
              + object.sha256()
              + "; it was removed and none of its rows deleted");
    }
  }

  private String base() {
    return ctx.store().keys().targetPrefix(ctx.command().target())
        + "archive/"
        + t.policy().name()
        + "/"
        + DAY.format(ctx.lease().firstClaimedAt()) // the ledger's date, never the producer's
        + "/"
        + ctx.command().id()
        + "/"
        + ctx.lease().attempt()
        + "-";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
