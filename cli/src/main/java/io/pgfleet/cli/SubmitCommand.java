package io.pgfleet.cli;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Destructive;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit <operation> --target T [--wait]}: publishes one command. */
@picocli.CommandLine.Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Publishes a maintenance command to a target's topic.",
    subcommands = {
      SubmitCommand.Backup.class,
      SubmitCommand.VerifyBackup.class,
      SubmitCommand.Restore.class,
      SubmitCommand.PruneBackups.class,
      PitrSubmits.BaseBackup.class,
      PitrSubmits.RestorePitr.class,
      PitrSubmits.VerifyBaseBackup.class,
      MaintenanceSubmits.Vacuum.class,
      MaintenanceSubmits.Analyze.class,
      MaintenanceSubmits.Reindex.class,
      MaintenanceSubmits.HealthCheck.class,
      MaintenanceSubmits.TerminateBackends.class,
      RunbookSubmits.CheckIntegrity.class,
      RunbookSubmits.Repack.class,
      RunbookSubmits.ResetStatementStats.class,
      SubmitCommand.Purge.class
    })
final class SubmitCommand {
  static final int FAILED = 1;
  static final int REJECTED = 3;
  static final int EXPIRED = 4;
  static final int TIMED_OUT = 5;

  /** Options every operation shares. */
  static final class Common {
    @Option(
        names = {"-t", "--target"},
        required = true,
        description = "The target's logical name, e.g. order_db")
    String target;

    @Option(
        names = "--id",
        description = "Command id (the idempotency key); default: a random UUID")
    String id;

    @Option(
        names = "--source",
        defaultValue = "urn:pgfleet:cli:${sys:user.name}",
        description = "Who asks (default: ${DEFAULT-VALUE})")
    String source;

    @Option(
        names = "--expires-in",
        description = "Not started within this time: expired, not executed (e.g. 3h)")
    Duration expiresIn;

    @Option(
        names = {"-w", "--wait"},
        description = "Wait for the result; exit 0 only if the run succeeded")
    boolean waitForResult;

    @Option(
        names = "--timeout",
        defaultValue = "1h",
        description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--signer", description = "Signer id, for workers that require a signature")
    String signer;

    @Option(names = "--sign-key", description = "Ed25519 private key file (pgfleet keys generate)")
    java.nio.file.Path signKey;

    @Mixin KafkaOptions kafka;

    java.util.Optional<CommandSigner> commandSigner() throws java.io.IOException {
      if (signer == null && signKey == null) {
        return java.util.Optional.empty();
      }
      if (signer == null || signKey == null) {
        throw new IllegalArgumentException("--signer and --sign-key go together");
      }
      return java.util.Optional.of(
          new CommandSigner(
              signer, Ed25519Keys.privateKey(java.nio.file.Files.readString(signKey))));
    }
  }

  /** {@code pgfleet submit backup}. */
  @picocli.CommandLine.Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = "Logical backup (pg_dump) to S3.")
  static final class Backup implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--format",
        description = "custom (default: one streamed archive) or directory (parallel --jobs)")
    String format;

    @Option(
        names = "--jobs",
        description = "Parallel pg_dump jobs, directory format only (default 2)")
    Integer jobs;

    @Option(
        names = "--compression",
        description = "zstd (default, by the worker), gzip (by pg_dump) or none")
    String compression;

    @Option(
        names = "--compression-level",
        description = "zstd 1-19 (default 2), gzip 0-9 (default 6)")
    Integer compressionLevel;

    @Option(names = "--schema-only", description = "Definitions only, no rows")
    Boolean schemaOnly;

    @Option(names = "--table", description = "Only this table (repeatable)")
    List<String> tables;

    @Option(names = "--exclude-table", description = "Not this table (repeatable)")
    List<String> excludeTables;

    @Option(names = "--encrypt", description = "Encrypt with the worker's active backup key")
    Boolean encrypt;

    @Option(names = "--sse", description = "S3 server-side encryption: AES256 or aws:kms")
    String serverSideEncryption;

    @Override
    public Integer call() throws Exception {
      return submit(
          common,
          Commands.backup(common.target)
              .params(
                  new BackupParams(
                      format,
                      compression,
                      compressionLevel,
                      schemaOnly,
                      tables,
                      excludeTables,
                      encrypt,
                      serverSideEncryption,
                      jobs)));
    }
  }

  /** {@code pgfleet submit verify-backup}. */
  @picocli.CommandLine.Command(
      name = "verify-backup",
      mixinStandardHelpOptions = true,
      description = "Restore drill: restore a backup into a scratch database and compare counts.")
  static final class VerifyBackup implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--artifact",
        defaultValue = "latest",
        description = "latest (default) or the artifact's s3:// URI")
    String artifact;

    @Override
    public Integer call() throws Exception {
      return submit(
          common,
          Commands.of(Operation.VERIFY_BACKUP, common.target, new VerifyBackupParams(artifact)));
    }
  }

  /** {@code pgfleet submit restore}. */
  @picocli.CommandLine.Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = "Restore a backup: into a new database, replacing the database, or tables.")
  static final class Restore implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--artifact", defaultValue = "latest", description = "latest or s3:// URI")
    String artifact;

    @Option(names = "--mode", required = true, description = "new-database, replace or tables")
    String mode;

    @Option(names = "--database", description = "new-database: the database to create")
    String database;

    @Option(names = "--table", description = "tables: a table to restore (repeatable)")
    List<String> tables;

    @Option(names = "--data-only", description = "tables: rows into existing, empty tables")
    Boolean dataOnly;

    @Option(names = "--truncate", description = "tables with --data-only: empty them first")
    Boolean truncate;

    @Option(names = "--confirm", description = "The target's name; destructive restores need it")
    String confirm;

    @Option(
        names = "--source-target",
        description = "Restore a backup of this other target (e.g. production into staging)")
    String sourceTarget;

    @Override
    public Integer call() throws Exception {
      RestoreParams params =
          new RestoreParams(
              artifact,
              RestoreParams.Mode.fromWireName(mode),
              database,
              tables,
              dataOnly,
              truncate,
              confirm,
              sourceTarget);
      return submit(common, Commands.of(Operation.RESTORE, common.target, params));
    }
  }

  /** {@code pgfleet submit prune-backups}. */
  @picocli.CommandLine.Command(
      name = "prune-backups",
      mixinStandardHelpOptions = true,
      description = "Apply the target's retention policy to its backups.")
  static final class PruneBackups implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing")
    Boolean dryRun;

    @Option(names = "--confirm", description = "The target's name; required unless --dry-run")
    String confirm;

    @Override
    public Integer call() throws Exception {
      return submit(
          common,
          Commands.of(
              Operation.PRUNE_BACKUPS, common.target, new PruneBackupsParams(dryRun, confirm)));
    }
  }

  /** {@code pgfleet submit purge}. */
  @picocli.CommandLine.Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description =
          "Retention purge by a policy of the target's worker config: expired rows deleted (or"
              + " archived, then deleted) in short batches, then ANALYZE.")
  static final class Purge implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = {"-p", "--policy"},
        required = true,
        description = "Name of a purge policy configured for the target, e.g. outbox-published")
    String policy;

    @Override
    public Integer call() throws Exception {
      return submit(common, Commands.purge(common.target, policy));
    }
  }

  static int submit(Common c, Commands.Builder builder) throws Exception {
    if (c.id != null) {
      builder.id(c.id);
    }
    builder.source(c.source);
    Duration expiresIn = c.expiresIn;
    if (expiresIn == null && c.signer != null) {
      expiresIn = Duration.ofMinutes(30); // workers accept signed commands only with a short expiry
    }
    if (expiresIn != null) {
      builder.expiresAt(Instant.now().plus(expiresIn));
    }
    Command command = builder.build();
    if (c.signer == null && destructive(command)) {
      System.err.println(
          "note: this "
              + command.operation().wireName()
              + " is destructive"
              + (command.operation() == Operation.PURGE
                  ? " unless its policy keeps an archive"
                  : "")
              + ": workers under the default signature policy refuse it unsigned"
              + " (--signer ID --sign-key FILE)");
    }
    ResultWatch watch =
        c.waitForResult
            ? new ResultWatch(
                c.kafka.bootstrapServers, c.kafka.topics(), c.kafka.clientProperties())
            : null;
    try (watch;
        CommandPublisher publisher =
            CommandPublisher.connect(
                c.kafka.bootstrapServers, c.kafka.topics(), c.kafka.clientProperties())) {
      publish(publisher, command, c);
      System.out.println(
          "submitted "
              + command.operation().wireName()
              + " of "
              + command.target()
              + " as command "
              + command.id());
      if (watch == null) {
        return 0;
      }
      ResultPrinter printer = new ResultPrinter(System.out);
      Optional<ResultEvent> end =
          watch.follow(
              e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(),
              e -> {
                if (command.id().equals(e.data().commandId())) printer.print(e);
              },
              c.timeout);
      return end.map(SubmitCommand::exitCode)
          .orElseGet(
              () -> {
                System.err.println(
                    "no result within "
                        + c.timeout
                        + "; the command may still run: pgfleet watch shows it");
                return TIMED_OUT;
              });
    }
  }

  private static void publish(CommandPublisher publisher, Command command, Common c)
      throws Exception {
    Optional<CommandSigner> signer = c.commandSigner();
    try {
      (signer.isPresent() ? publisher.publish(command, signer.get()) : publisher.publish(command))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot publish to "
              + c.kafka.topics().commands(command.target())
              + " at "
              + c.kafka.bootstrapServers
              + ": "
              + cause.getMessage()
              + " (is the target configured in a worker, which creates its topic?)",
          cause);
    }
  }

  /** Whether workers and the dispatcher count the command destructive (they hold the policies). */
  static boolean destructive(Command command) {
    return Destructive.is(command, Destructive.PurgePolicies.unknown());
  }

  static int exitCode(ResultEvent end) {
    Outcome outcome = end.outcome();
    if (outcome == Outcome.DUPLICATE) {
      outcome = Outcome.fromWireName(end.data().original().outcome()).orElse(Outcome.FAILED);
    }
    return switch (outcome) {
      case SUCCEEDED -> 0;
      case REJECTED -> REJECTED;
      case EXPIRED -> EXPIRED;
      default -> FAILED;
    };
  }
}
