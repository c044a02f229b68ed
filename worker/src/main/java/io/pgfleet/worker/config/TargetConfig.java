package io.pgfleet.worker.config;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TargetName;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a worker reaches one target database, and what it may do there. Credentials live here and
 * nowhere else: commands only name the target. Built with {@link #builder(String)}.
 *
 * @param operations the operations this target accepts; empty means none
 * @param pgBinDir where pg_dump / pg_restore are; null to pick one matching the server
 * @param signaturePolicy which commands must be signed; null for the worker's default
 * @param restore what restores and restore drills may do, and as whom
 * @param retention which backups prune-backups keeps; null: no policy, prune refuses to run
 * @param maintenance permissions, timeouts and health thresholds of maintenance operations
 * @param purgePolicies retention policies by name; a purge command can only name one of these
 * @param pitr where and how restore-pitr recovers this target's server
 * @param backup parallel jobs and local disk of directory-format backups
 * @param rto the recovery time objective a restore drill's restore is held to; null: none
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
    Path pgBinDir,
    SignaturePolicy signaturePolicy,
    RestoreSettings restore,
    RetentionPolicy retention,
    MaintenanceSettings maintenance,
    Map<String, PurgePolicy> purgePolicies,
    PitrSettings pitr,
    BackupSettings backup,
    Duration rto) {

  public TargetConfig {
    TargetName.require(name);
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
    database = database == null ? name : database;
    sslMode = sslMode == null ? "prefer" : sslMode;
    restore = restore == null ? RestoreSettings.DEFAULTS : restore;
    maintenance = maintenance == null ? MaintenanceSettings.DEFAULTS : maintenance;
    purgePolicies = purgePolicies == null ? Map.of() : Map.copyOf(purgePolicies);
    purgePolicies.forEach(
        (key, policy) -> {
          if (!key.equals(policy.name())) {
            throw new IllegalArgumentException(
                "purge policy " + policy.name() + " is filed under another name: " + key);
          }
        });
    pitr = pitr == null ? PitrSettings.DEFAULTS : pitr;
    backup = backup == null ? BackupSettings.DEFAULTS : backup;
    if (rto != null && (rto.isNegative() || rto.isZero())) {
      throw new IllegalArgumentException("rto must be positive, not " + rto);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this config's values, to change some of them. */
  public Builder toBuilder() {
    return toBuilder(name);
  }

  /** A builder holding this config's values under another target name. */
  public Builder toBuilder(String name) {
    return new Builder(name)
        .host(host)
        .port(port)
        .database(database)
        .user(user)
        .password(password)
        .sslMode(sslMode)
        .operations(operations)
        .pgBinDir(pgBinDir)
        .signaturePolicy(signaturePolicy)
        .restore(restore)
        .retention(retention)
        .maintenance(maintenance)
        .purgePolicies(purgePolicies)
        .pitr(pitr)
        .backup(backup)
        .rto(rto);
  }

  public Optional<PurgePolicy> purgePolicy(String name) {
    return Optional.ofNullable(purgePolicies.get(name));
  }

  public boolean allows(Operation operation) {
    return operations.contains(operation);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/";
  }

  /** Fluent construction; {@link #build()} validates through the record. */
  public static final class Builder {
    private final String name;
    private String host;
    private int port = 5432;
    private String database;
    private String user;
    private Secret password;
    private String sslMode;
    private Set<Operation> operations = Set.of();
    private Path pgBinDir;
    private SignaturePolicy signaturePolicy;
    private RestoreSettings restore;
    private PitrSettings pitr;
    private BackupSettings backup;
    private Duration rto;
    private RetentionPolicy retention;
    private MaintenanceSettings maintenance;
    private Map<String, PurgePolicy> purgePolicies = Map.of();

    private Builder(String name) {
      this.name = name;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder database(String value) {
      database = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder password(Secret value) {
      password = value;
      return this;
    }

    public Builder sslMode(String value) {
      sslMode = value;
      return this;
    }

    public Builder operations(Set<Operation> value) {
      operations = value;
      return this;
    }

    public Builder pgBinDir(Path value) {
      pgBinDir = value;
      return this;
    }

    public Builder signaturePolicy(SignaturePolicy value) {
      signaturePolicy = value;
      return this;
    }

    public Builder restore(RestoreSettings value) {
      restore = value;
      return this;
    }

    public Builder retention(RetentionPolicy value) {
      retention = value;
      return this;
    }

    public Builder maintenance(MaintenanceSettings value) {
      maintenance = value;
      return this;
    }

    public Builder purgePolicies(Map<String, PurgePolicy> value) {
      purgePolicies = value;
      return this;
    }

    /** Adds one policy, under its own name. */
    public Builder purgePolicy(PurgePolicy value) {
      Map<String, PurgePolicy> all = new java.util.LinkedHashMap<>(purgePolicies);
      all.put(value.name(), value);
      purgePolicies = all;
      return this;
    }

    public Builder pitr(PitrSettings value) {
      pitr = value;
      return this;
    }

    public Builder backup(BackupSettings value) {
      backup = value;
      return this;
    }

    public Builder rto(Duration value) {
      rto = value;
      return this;
    }

    public TargetConfig build() {
      return new TargetConfig(
          name,
          host,
          port,
          database,
          user,
          password,
          sslMode,
          operations,
          pgBinDir,
          signaturePolicy,
          restore,
          retention,
          maintenance,
          purgePolicies,
          pitr,
          backup,
          rto);
    }
  }
}
