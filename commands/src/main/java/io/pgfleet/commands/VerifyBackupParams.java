package io.pgfleet.commands;

/**
 * Parameters of a restore drill: the backup is restored into a scratch database, its row counts
 * compared with its manifest's, and the scratch database dropped.
 *
 * @param artifact {@code latest} (default) or the artifact's s3 URI
 */
public record VerifyBackupParams(String artifact) implements OperationParams {
  public VerifyBackupParams {
    artifact = ArtifactSelector.require(artifact);
  }

  public static VerifyBackupParams latest() {
    return new VerifyBackupParams(null);
  }
}
