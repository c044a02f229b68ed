package io.pgfleet.worker.config;

import io.pgfleet.commands.Operation;
import java.nio.file.Path;
import java.util.Set;

/**
 * How a worker reaches one target database. Credentials live here and nowhere else: commands only
 * name the target.
 *
 * @param operations the operations this target accepts; empty means none
 * @param pgBinDir where pg_dump / pg_restore are; null to pick one matching the server
 */
public record TargetConfig(
    String name,
    String host,
    int port,
    String database,
    String user,
    Secret password,
    String sslMode,
    Set<Operation> operations,
    Path pgBinDir) {

  public TargetConfig {
    operations = Set.copyOf(operations);
    sslMode = sslMode == null ? "prefer" : sslMode;
  }

  public boolean allows(Operation operation) {
    return operations.contains(operation);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/";
  }
}
