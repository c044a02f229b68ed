package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server settings and client authentication rules of a local cluster. */
final class PostgresConfig {

  private static final String HBA =
      String.join(
          "\n",
          "# pgfleet local cluster: passwords over TCP on 127.0.0.1, trust on the unix socket",
          "local all all trust",
          "local replication all trust",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host replication all 127.0.0.1/32 scram-sha-256",
          "");

  private PostgresConfig() {}

  /** The settings every local cluster gets, then {@code extra} (which wins on conflicts). */
  static Map<String, String> settings(int port, Path socketDir, Map<String, String> extra) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", FreePort.LOOPBACK);
    settings.put("port", String.valueOf(port));
    settings.put("unix_socket_directories", socketDir.toString());
    // Throwaway clusters: durability across OS crashes is not worth the fsync time.
    settings.put("fsync", "off");
    settings.put("synchronous_commit", "off");
    // Kept on: base backups and point-in-time recovery need full page images.
    settings.put("full_page_writes", "on");
    settings.put("wal_level", "replica");
    settings.put("max_wal_senders", "4");
    settings.put("max_connections", "200");
    settings.put("shared_buffers", "128MB");
    // Statement statistics (health-check slow-statements, reset-statement-stats) need it loaded.
    settings.put("shared_preload_libraries", "pg_stat_statements");
    settings.putAll(extra);
    return settings;
  }

  /** Appends {@code settings} to the postgresql.conf initdb wrote; later lines win in it. */
  static void write(Path dataDir, Map<String, String> settings) {
    StringBuilder conf = new StringBuilder("\n# pgfleet local cluster\n");
    settings.forEach(
        (name, value) ->
            conf.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
    try {
      Files.writeString(
          dataDir.resolve("postgresql.conf"),
          conf,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      Files.writeString(
          dataDir.resolve("pg_hba.conf"),
          HBA,
          StandardCharsets.UTF_8,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not configure the cluster in " + dataDir, e);
    }
  }
}
