package io.pgfleet.worker.config;

import java.nio.file.Path;

/**
 * How restore-pitr materializes a recovered server of a target on this worker's host.
 *
 * @param pgfleetCommand how the server's OS user runs pgfleet in restore_command (default {@code
 *     pgfleet}); the worker appends {@code wal-fetch --config ... --target ... %f %p}
 * @param archiveConfig the config file wal-fetch reads (its storage section), readable by the
 *     server's OS user; null: restore-pitr refuses, naming this setting
 * @param restoreRoot the directory new data directories are created in; commands name only a
 *     directory below it
 * @param serverBinDir where pg_ctl is; null: the worker only prepares the directory and reports the
 *     command that starts it
 * @param serverUser the OS user the server must run as when the worker runs as root (default {@code
 *     postgres}); ignored otherwise
 * @param stream WAL streaming of the target by the fleet; null: not streamed (archive_command)
 * @param dataDirectory the target server's own data directory on this host, which restore-pitr
 *     {@code inPlace} recovers into while the server is stopped; null: in-place recovery refused
 */
public record PitrSettings(
    String pgfleetCommand,
    Path archiveConfig,
    Path restoreRoot,
    Path serverBinDir,
    String serverUser,
    WalStreamSettings stream,
    Path dataDirectory) {
  public static final PitrSettings DEFAULTS = new PitrSettings(null, null, null, null, null);

  public PitrSettings(
      String pgfleetCommand,
      Path archiveConfig,
      Path restoreRoot,
      Path serverBinDir,
      String serverUser) {
    this(pgfleetCommand, archiveConfig, restoreRoot, serverBinDir, serverUser, null, null);
  }

  public PitrSettings withStream(WalStreamSettings value) {
    return new PitrSettings(
        pgfleetCommand, archiveConfig, restoreRoot, serverBinDir, serverUser, value, dataDirectory);
  }

  public PitrSettings withDataDirectory(Path value) {
    return new PitrSettings(
        pgfleetCommand, archiveConfig, restoreRoot, serverBinDir, serverUser, stream, value);
  }

  public PitrSettings {
    pgfleetCommand = pgfleetCommand == null ? "pgfleet" : pgfleetCommand;
    serverUser = serverUser == null ? "postgres" : serverUser;
    if (!serverUser.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException("pitr.serverUser '" + serverUser + "' is not a user name");
    }
    if (dataDirectory != null
        && (!dataDirectory.isAbsolute()
            || dataDirectory.normalize().getParent() == null
            || !dataDirectory.equals(dataDirectory.normalize()))) {
      throw new IllegalArgumentException(
          "pitr.dataDirectory must be the server's data directory as an absolute path without"
              + " . or .. (e.g. /var/lib/postgresql/15/main), not "
              + dataDirectory);
    }
  }
}
