package io.pgfleet.commands;

/**
 * Parameters of a restore drill: the backup is restored into a scratch database, its content
 * compared with its manifest's, and the scratch database dropped.
 *
 * @param artifact {@code latest} (default) or the artifact's s3 URI
 * @param jobs parallel pg_restore jobs for a custom backup; 1: the archive streams from the object
 *     store into one pg_restore. More: the decoded archive is first written to a private file in
 *     the worker's work directory (pg_restore {@code --jobs} needs a seekable file), then restored
 *     with that many jobs. Null (not given): the worker chooses, up to 2 jobs where it may write
 *     the decoded archive (unencrypted, room in its work directory), else it streams. An explicit 1
 *     is kept on the wire, so that it still means "stream" and not "let the worker choose".
 */
public record VerifyBackupParams(String artifact, Integer jobs) implements OperationParams {
  public VerifyBackupParams {
    artifact = ArtifactSelector.require(artifact);
    if (jobs != null && (jobs < 1 || jobs > 64)) {
      throw new IllegalArgumentException("jobs must be 1-64, not " + jobs);
    }
  }

  public VerifyBackupParams(String artifact) {
    this(artifact, null);
  }

  public static VerifyBackupParams latest() {
    return new VerifyBackupParams(null);
  }
}
