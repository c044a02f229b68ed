package io.pgfleet.worker.storage;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.time.Instant;
import java.util.List;

/**
 * What a logical backup contains, written after its dump is complete: the artifact is visible as
 * complete only when its manifest exists. Each table's rows, bytes and content hash are read in the
 * custom archive as it streams (in the dump's own snapshot, with no second scan), so a restore
 * drill can prove the restored content equals what was dumped; a directory dump's tables are
 * counted in SQL in the same snapshot.
 *
 * <p>The object's bytes are, from the outside in: the {@link Encryption} envelope (when encrypted),
 * then zstd (when {@code dump.compression} is {@code zstd}: applied by the worker), then the
 * pg_dump custom archive (which compresses its own data when {@code compression} is {@code gzip}).
 * {@code artifact.sha256} is over the stored bytes.
 *
 * <p>A directory-format dump ({@code dump.format} {@code directory}) is stored as one object per
 * file of pg_dump's directory, under the prefix {@code artifact.key} (ending in {@code .dir/}).
 * Each file's object is encoded like a custom dump (envelope, then zstd, then pg_dump's own gzip
 * per file) and listed in {@code files} with the size and sha256 of its stored bytes; {@code
 * artifact.bytes} is their sum and {@code artifact.sha256} is {@link #listingSha256} of the list,
 * so the catalog's one checksum still pins every file.
 *
 * @param encryption null when the object is not encrypted by the worker
 * @param files the stored files of a directory-format dump; null for a custom one
 */
public record Manifest(
    int manifestVersion,
    String kind,
    String target,
    String database,
    String commandId,
    int attempt,
    String worker,
    ArtifactObject artifact,
    Dump dump,
    Server server,
    Instant startedAt,
    Instant finishedAt,
    List<TableCount> tables,
    Encryption encryption,
    List<DumpFile> files,
    Archive archive) {
  /** 2: tables' {@code hash} by the archive's {@code rowHash}; 1: tables' {@code sha256}. */
  public static final int VERSION = 2;

  /** A manifest without the archive's own description (a directory dump, or an old backup). */
  public Manifest(
      int manifestVersion,
      String kind,
      String target,
      String database,
      String commandId,
      int attempt,
      String worker,
      ArtifactObject artifact,
      Dump dump,
      Server server,
      Instant startedAt,
      Instant finishedAt,
      List<TableCount> tables,
      Encryption encryption,
      List<DumpFile> files) {
    this(
        manifestVersion,
        kind,
        target,
        database,
        commandId,
        attempt,
        worker,
        artifact,
        dump,
        server,
        startedAt,
        finishedAt,
        tables,
        encryption,
        files,
        null);
  }

  /** A manifest of a single-object (custom format) dump. */
  public Manifest(
      int manifestVersion,
      String kind,
      String target,
      String database,
      String commandId,
      int attempt,
      String worker,
      ArtifactObject artifact,
      Dump dump,
      Server server,
      Instant startedAt,
      Instant finishedAt,
      List<TableCount> tables,
      Encryption encryption) {
    this(
        manifestVersion,
        kind,
        target,
        database,
        commandId,
        attempt,
        worker,
        artifact,
        dump,
        server,
        startedAt,
        finishedAt,
        tables,
        encryption,
        null,
        null);
  }

  /** Whether the dump is a directory of objects listed in {@code files}. */
  public boolean directory() {
    return files != null;
  }

  /**
   * One file of a directory-format dump, stored at the artifact's prefix + {@code name}.
   *
   * @param bytes size of the stored (encoded) object
   * @param sha256 of the stored bytes
   */
  public record DumpFile(String name, long bytes, String sha256) {}

  /**
   * The sha256 of a directory dump's file list: one line {@code <sha256> <bytes> <name>} per file,
   * in the order given (sorted by name when written).
   */
  public static String listingSha256(List<DumpFile> files) {
    StringBuilder listing = new StringBuilder();
    files.forEach(
        f ->
            listing
                .append(f.sha256())
                .append(' ')
                .append(f.bytes())
                .append(' ')
                .append(f.name())
                .append('\n'));
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The client-side encryption of the object: which key opens it. */
  public record Encryption(String algorithm, String keyId) {}

  /** The table of this manifest, for comparing counts. */
  public java.util.Map<String, Long> rowsByTable() {
    java.util.Map<String, Long> rows = new java.util.TreeMap<>();
    tables.forEach(t -> rows.put(t.schema() + "." + t.table(), t.rows()));
    return rows;
  }

  /** The dump object this manifest describes. */
  public record ArtifactObject(String uri, String key, long bytes, String sha256) {}

  /** How the dump was made. */
  public record Dump(
      String tool,
      String toolVersion,
      String format,
      String compression,
      int compressionLevel,
      String snapshot,
      Boolean schemaOnly,
      List<String> includeTables,
      List<String> excludeTables,
      Integer jobs) {
    /** How a custom-format (single job) dump was made. */
    public Dump(
        String tool,
        String toolVersion,
        String format,
        String compression,
        int compressionLevel,
        String snapshot,
        Boolean schemaOnly,
        List<String> includeTables,
        List<String> excludeTables) {
      this(
          tool,
          toolVersion,
          format,
          compression,
          compressionLevel,
          snapshot,
          schemaOnly,
          includeTables,
          excludeTables,
          null);
    }
  }

  /** The server it was taken from. */
  public record Server(String version, int versionNum, String systemIdentifier) {}

  /**
   * One table's data at the dump's snapshot.
   *
   * @param bytes its COPY data's bytes, when read from the archive (null when counted in SQL)
   * @param hash of its COPY data as {@code io.pgfleet.worker.archive.TableDigest} takes it: the sum
   *     of each row's hash by {@link Archive#rowHash}, so row order does not matter ({@code sha256}
   *     in a version 1 manifest)
   * @param dumpId its data entry in the archive
   */
  public record TableCount(
      String schema,
      String table,
      long rows,
      Long bytes,
      @JsonAlias("sha256") String hash,
      Integer dumpId) {
    /** A count taken in SQL, without the content. */
    public TableCount(String schema, String table, long rows) {
      this(schema, table, rows, null, null, null);
    }

    public String name() {
      return schema + "." + table;
    }

    /** The table's {@link Manifest#tableKey key}. */
    public String key() {
      return tableKey(schema, table);
    }
  }

  /**
   * A table's name that no other table shares: {@code schema.table}, with a part that holds a dot
   * or a double quote quoted as in SQL, so that {@code "a.b".c} and {@code a."b.c"} differ.
   */
  public static String tableKey(String schema, String table) {
    return keyPart(schema) + "." + keyPart(table);
  }

  private static String keyPart(String identifier) {
    return identifier.indexOf('.') < 0 && identifier.indexOf('"') < 0
        ? identifier
        : '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * What the worker read in the custom archive as it streamed.
   *
   * @param encoding the client_encoding pg_dump wrote the data in
   * @param rowHash the hash of each row in the tables' sums, {@code xxh3-128-sum} or {@code
   *     sha256-sum} ({@code io.pgfleet.worker.archive.RowHash}); absent in a version 1 manifest,
   *     whose sums are {@code sha256-sum}
   * @param toc the stored bytes holding the header and table of contents (when seekable)
   * @param blocks the stored bytes of each data block, by dump id (when seekable): each piece
   *     decodes on its own, so a restore of some tables reads only these ranges
   */
  public record Archive(String encoding, String rowHash, Piece toc, List<Piece> blocks) {
    public boolean seekable() {
      return toc != null && blocks != null;
    }
  }

  /** A range of the stored object and the sha256 of its bytes; dumpId is null for the TOC. */
  public record Piece(Integer dumpId, long offset, long length, String sha256) {}
}
