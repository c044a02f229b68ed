package io.pgfleet.commands;

/**
 * Parameters of a restore drill: the backup is restored into a scratch database, its content
 * compared with its manifest's, and the scratch database dropped.
 *
 * @param artifact {@code latest} (default) or the artifact's s3 URI
 * @param jobs parallel pg_restore jobs for a custom backup; null or 1 (the default): the archive
 *     streams from the object store into one pg_restore. More: the decoded archive is first written
 *     to a private file in the worker's work directory (pg_restore {@code --jobs} needs a seekable
 *     file), then restored with that many jobs. Not on the wire when 1, so older workers read it.
 */
public record VerifyBackupParams(String artifact, Integer jobs) implements OperationParams {
  public VerifyBackupParams {
    artifact = ArtifactSelector.require(artifact);
    if (jobs != null && (jobs < 1 || jobs > 64)) {
      throw new IllegalArgumentException("jobs must be 1-64, not " + jobs);
    }
    jobs = jobs == null || jobs == 1 ? null : jobs;
  }

  public VerifyBackupParams(String artifact) {
    this(artifact, null);
  }

  public static VerifyBackupParams latest() {
    return new VerifyBackupParams(null);
  }

  /** The pg_restore jobs the drill runs: 1 unless more were asked for. */
  public int restoreJobs() {
    return jobs == null ? 1 : jobs;
  }
}
