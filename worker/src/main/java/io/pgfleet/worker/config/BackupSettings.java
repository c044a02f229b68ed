package io.pgfleet.worker.config;

import java.nio.file.Path;

/**
 * How directory-format backups of a target use this worker's host.
 *
 * @param maxJobs the most parallel pg_dump / pg_restore jobs a command may ask for (default {@value
 *     #DEFAULT_MAX_JOBS}): each job is one more connection to the target and one more busy core on
 *     the worker
 * @param workDir where the dump directory is written before its upload (and a downloaded one before
 *     its restore); null: the JVM's temporary directory
 * @param keepFreeBytes the disk space that must remain free on {@code workDir} beyond the dump's
 *     estimated size (default 256 MiB), so that a backup never fills the worker's disk
 */
public record BackupSettings(int maxJobs, Path workDir, long keepFreeBytes) {
  public static final int DEFAULT_MAX_JOBS = 4;
  public static final long DEFAULT_KEEP_FREE_BYTES = 256L << 20;
  public static final BackupSettings DEFAULTS =
      new BackupSettings(DEFAULT_MAX_JOBS, null, DEFAULT_KEEP_FREE_BYTES);

  public BackupSettings {
    if (maxJobs < 1 || maxJobs > 64) {
      throw new IllegalArgumentException("backup.maxJobs must be 1-64, not " + maxJobs);
    }
    if (keepFreeBytes < 0) {
      throw new IllegalArgumentException("backup.keepFreeMb must not be negative");
    }
    workDir = workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir;
  }
}
