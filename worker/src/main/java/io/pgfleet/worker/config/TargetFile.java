package io.pgfleet.worker.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.runtime.config.SettingsBinder;
import io.pgfleet.worker.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target as written (after defaults and profiles are merged in). The dispatcher's keys (rpo,
 * warnAfter, verifiedRpo) are not the worker's business.
 */
@JsonIgnoreProperties({"extends", "rpo", "warnAfter", "verifiedRpo"})
record TargetFile(
    String host,
    Integer port,
    String database,
    String user,
    Secret password,
    String sslMode,
    List<String> operations,
    String pgBinDir,
    String signaturePolicy,
    TargetSections.Restore restore,
    TargetSections.Pitr pitr,
    TargetSections.Backup backup,
    RetentionPolicy retention,
    MaintenanceFile.Allow allow,
    Map<String, Timeouts> timeouts,
    Map<String, MaintenanceFile.Level> health,
    Map<String, PurgePolicyFile> purgePolicies,
    Duration rto) {

  /** The target named {@code name}; every problem is added to {@code b} with its path. */
  TargetConfig target(String name, String path, SettingsBinder b) {
    Map<String, PurgePolicy> policies = new LinkedHashMap<>();
    if (purgePolicies != null) {
      purgePolicies.forEach(
          (policy, file) -> {
            PurgePolicy built =
                b.attempt(path + ".purgePolicies." + policy, () -> file.policy(policy));
            if (built != null) {
              policies.put(policy, built);
            }
          });
    }
    MaintenanceSettings maintenance =
        new MaintenanceFile(allow, timeouts, health).settings(path, b);
    TargetConfig.Builder target =
        TargetConfig.builder(name)
            .host(host)
            .port(port == null ? 5432 : port)
            .database(database)
            .user(user)
            .password(password)
            .sslMode(sslMode)
            .operations(
                operations == null ? java.util.Set.of() : SecurityFile.operations(operations))
            .pgBinDir(pgBinDir == null ? null : Path.of(pgBinDir))
            .signaturePolicy(SecurityFile.policy(signaturePolicy))
            .restore(restore == null ? null : b.attempt(path + ".restore", restore::settings))
            .retention(retention)
            .maintenance(maintenance)
            .purgePolicies(policies)
            .pitr(pitr == null ? null : b.attempt(path + ".pitr", pitr::settings))
            .backup(backup == null ? null : b.attempt(path + ".backup", backup::settings))
            .rto(rto);
    return b.attempt(path, target::build);
  }
}
