package io.pgfleet.cli.backups;

import picocli.CommandLine.Command;

/** {@code pgfleet backups list|show}: the backup catalog kept in the ledger. */
@Command(
    name = "backups",
    mixinStandardHelpOptions = true,
    description = "The backup catalog: every artifact, when it was verified or pruned.",
    subcommands = {ListBackups.class, ShowBackup.class})
public final class BackupsCommand {
  /** The exit code of {@code backups show} for an id the catalog does not hold. */
  public static final int NOT_FOUND = 6;
}
