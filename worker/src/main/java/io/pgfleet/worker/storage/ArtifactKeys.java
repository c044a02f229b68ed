package io.pgfleet.worker.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The layout of artifacts in the bucket:
 *
 * <pre>
 * &lt;prefix&gt;/&lt;target&gt;/logical/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;commandId&gt;.dump
 * &lt;prefix&gt;/&lt;target&gt;/logical/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;commandId&gt;.dir/&lt;file&gt;  (directory format)
 * &lt;prefix&gt;/&lt;target&gt;/logical/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;commandId&gt;.manifest.json
 * &lt;prefix&gt;/&lt;target&gt;/wal/&lt;timeline&gt;/&lt;walFileName&gt;   (zstd, sha256 in metadata)
 * </pre>
 *
 * The date is the command's time, so every attempt of a command writes the same keys and at most
 * one complete artifact exists per command.
 */
public record ArtifactKeys(String prefix) {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  public ArtifactKeys {
    prefix = prefix.replaceAll("^/+|/+$", "");
  }

  public String logicalDump(String target, Instant commandTime, String commandId) {
    return base(target, "logical", commandTime, commandId) + ".dump";
  }

  /** The prefix (ending in {@code /}) under which a directory-format dump's files are stored. */
  public String logicalDirectory(String target, Instant commandTime, String commandId) {
    return base(target, "logical", commandTime, commandId) + ".dir/";
  }

  /**
   * Whether a logical artifact key names a directory-format dump (a prefix) rather than an object.
   */
  public static boolean isDirectory(String artifactKey) {
    return artifactKey.endsWith(".dir/");
  }

  public static String manifestOf(String artifactKey) {
    int dot = artifactKey.lastIndexOf('.');
    return artifactKey.substring(0, dot) + ".manifest.json";
  }

  /** Where a target's logical dumps live: {@code <prefix>/<target>/logical/}. */
  public String logicalPrefix(String target) {
    return targetPrefix(target) + "logical/";
  }

  /**
   * The key of a logical dump of {@code target} named by its URI in {@code bucket}, or empty when
   * the URI points anywhere else (another bucket, another target, not a dump, a path trick).
   */
  public java.util.Optional<String> logicalDumpKey(String uri, String bucket, String target) {
    String head = "s3://" + bucket + "/";
    if (uri == null || !uri.startsWith(head)) {
      return java.util.Optional.empty();
    }
    String key = uri.substring(head.length());
    boolean ok =
        key.startsWith(logicalPrefix(target))
            && (key.endsWith(".dump") || isDirectory(key))
            && !key.contains("/../")
            && !key.contains("/./")
            && !key.contains("//");
    return ok ? java.util.Optional.of(key) : java.util.Optional.empty();
  }

  /** Where a target's archived WAL lives: {@code <prefix>/<target>/wal/<timeline>/<file>}. */
  public String walPrefix(String target) {
    return targetPrefix(target) + "wal/";
  }

  /** Where one base backup's files live: {@code <prefix>/<target>/base/<backupId>/}. */
  public String basePrefix(String target, String backupId) {
    return targetPrefix(target) + "base/" + backupId + "/";
  }

  public String targetPrefix(String target) {
    return (prefix.isEmpty() ? "" : prefix + "/") + target + "/";
  }

  private String base(String target, String kind, Instant time, String commandId) {
    return targetPrefix(target) + kind + "/" + DAY.format(time) + "/" + commandId;
  }
}
