package io.pgfleet.commands;

/**
 * Parameters of a retention run: deletes the target's backups that its configured retention policy
 * does not keep.
 *
 * @param dryRun list what would be deleted, delete nothing
 * @param confirm the target's name; required unless {@code dryRun}
 */
public record PruneBackupsParams(Boolean dryRun, String confirm) implements OperationParams {
  public PruneBackupsParams {
    dryRun = dryRun != null && dryRun;
  }
}
