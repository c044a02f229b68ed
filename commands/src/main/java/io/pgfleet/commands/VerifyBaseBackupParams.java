package io.pgfleet.commands;

/**
 * Parameters of a physical restore drill: a base backup plus the WAL archive recovered into a
 * scratch data directory, checked, and removed.
 *
 * @param backup {@code latest} (default: the newest base backup) or a cataloged base backup's URI
 */
public record VerifyBaseBackupParams(String backup) implements OperationParams {
  public VerifyBaseBackupParams {
    backup = ArtifactSelector.require(backup);
  }

  public static VerifyBaseBackupParams latest() {
    return new VerifyBaseBackupParams(null);
  }
}
