package io.pgfleet.worker.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/** A target's restore, pitr and backup sections as written. */
final class TargetSections {
  private TargetSections() {}

  record Restore(
      Boolean allowOverwrite,
      Boolean noOwner,
      Boolean noPrivileges,
      ServerLogin admin,
      ServerLogin scratch,
      List<String> allowedSources) {
    RestoreSettings settings() {
      RestoreSettings d = RestoreSettings.DEFAULTS;
      return new RestoreSettings(
          allowOverwrite == null ? d.allowOverwrite() : allowOverwrite,
          noOwner == null ? d.noOwner() : noOwner,
          noPrivileges == null ? d.noPrivileges() : noPrivileges,
          admin,
          scratch,
          allowedSources == null ? null : new LinkedHashSet<>(allowedSources));
    }
  }

  record Pitr(
      String pgfleetCommand,
      String archiveConfig,
      String restoreRoot,
      String serverBinDir,
      String serverUser,
      WalStreamSettings stream,
      String dataDirectory) {
    PitrSettings settings() {
      return new PitrSettings(
          pgfleetCommand,
          path(archiveConfig),
          path(restoreRoot),
          path(serverBinDir),
          serverUser,
          stream,
          path(dataDirectory));
    }
  }

  record Backup(Integer maxJobs, String workDir, Integer keepFreeMb) {
    BackupSettings settings() {
      return new BackupSettings(
          maxJobs == null ? BackupSettings.DEFAULT_MAX_JOBS : maxJobs,
          path(workDir),
          (long) (keepFreeMb == null ? 256 : keepFreeMb) << 20);
    }
  }

  private static Path path(String text) {
    return text == null ? null : Path.of(text);
  }
}
