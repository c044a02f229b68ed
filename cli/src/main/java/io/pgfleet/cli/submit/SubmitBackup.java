package io.pgfleet.cli.submit;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Commands;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit backup}. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = "Logical backup (pg_dump) to S3.")
public final class SubmitBackup implements Callable<Integer> {
  @Mixin SubmitOptions common;

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
    return Submission.submit(
        common,
        () ->
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
