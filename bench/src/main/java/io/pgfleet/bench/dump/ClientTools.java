package io.pgfleet.bench.dump;

import io.pgfleet.local.LocalPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' command-line tools (pg_dump, pg_restore, psql, createdb, dropdb, aws) run as child
 * processes against the bench stack. Passwords and keys go into the child's environment only, never
 * onto its command line.
 */
public final class ClientTools {
  private final LocalPostgres pg;
  private final Path scratch;

  public ClientTools(LocalPostgres pg, Path scratch) {
    this.pg = pg;
    this.scratch = scratch;
  }

  /**
   * {@code pg_dump -Fc -Z<level> > out} of {@code database}: through its standard output, as the
   * runbooks write it, so that /dev/null works too (pg_dump fsyncs a {@code --file}).
   */
  public void pgDump(String database, int level, Path out)
      throws IOException, InterruptedException {
    run(
        List.of("pg_dump", "-Fc", "-Z" + level, "--dbname=" + database),
        libpq(database),
        "pg_dump",
        out);
  }

  /**
   * {@code pg_dump -Fc -Z0 | <compressor...> > out}: pg_dump's own compression off and a separate
   * compressor, e.g. {@code zstd -2 --long=24 --zstd=hlog=15 -T1}, the worker's default codec.
   */
  public void pgDumpThrough(String database, List<String> compressor, Path out)
      throws IOException, InterruptedException {
    ProcessBuilder dump =
        new ProcessBuilder("pg_dump", "-Fc", "-Z0", "--dbname=" + database)
            .redirectInput(new File("/dev/null"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    dump.environment().putAll(libpq(database));
    ProcessBuilder compress =
        new ProcessBuilder(new ArrayList<>(compressor))
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(dump, compress));
    for (Process p : pipeline) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(p.info().command().orElse("?") + " failed");
      }
    }
  }

  public void createdb(String database) throws IOException, InterruptedException {
    run(List.of("createdb", database), libpq("postgres"), "createdb");
  }

  public void dropdb(String database) throws IOException, InterruptedException {
    run(List.of("dropdb", "--if-exists", database), libpq("postgres"), "dropdb");
  }

  /** pg_restore of a local archive, as the restore runbook runs it. */
  public void pgRestore(Path archive, String database) throws IOException, InterruptedException {
    run(
        List.of(
            "pg_restore",
            "--dbname=" + database,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            archive.toString()),
        libpq(database),
        "pg_restore");
  }

  /** {@code psql -Atc sql}; its output. */
  public String psql(String database, String sql) throws IOException, InterruptedException {
    return run(List.of("psql", "-X", "-Atc", sql), libpq(database), "psql");
  }

  /** Whether the aws CLI can be run here. */
  public boolean hasAws() {
    try {
      run(List.of("aws", "--version"), Map.of(), "aws");
      return true;
    } catch (IOException | InterruptedException | IllegalStateException e) {
      return false;
    }
  }

  /** {@code aws s3 cp file s3://bucket/key} against the given endpoint. */
  public void awsUpload(Path file, String bucket, String key, S3Login s3)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    env.put("AWS_DEFAULT_REGION", s3.region());
    // S3Proxy does not take the streaming checksums recent aws CLIs send by default
    env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
    env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    if (s3.caBundle() != null) {
      env.put("AWS_CA_BUNDLE", s3.caBundle().toString());
    }
    run(
        List.of(
            "aws",
            "--endpoint-url",
            s3.endpoint(),
            "s3",
            "cp",
            "--only-show-errors",
            file.toString(),
            "s3://" + bucket + "/" + key),
        env,
        "aws s3 cp");
  }

  /**
   * An S3 endpoint and its credentials, for the aws CLI's environment; {@code caBundle} the PEM
   * file of an https endpoint's certificate authority, or null.
   */
  public record S3Login(
      String endpoint, String region, String accessKey, String secretKey, Path caBundle) {
    @Override
    public String toString() {
      return "S3Login[" + endpoint + "]"; // never the keys
    }
  }

  private Map<String, String> libpq(String database) {
    return Map.of(
        "PGHOST", pg.host(),
        "PGPORT", Integer.toString(pg.port()),
        "PGUSER", pg.superuser(),
        "PGPASSWORD", pg.superuserPassword(),
        "PGDATABASE", database,
        "PGSSLMODE", "disable");
  }

  private String run(List<String> command, Map<String, String> env, String what)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    Path stdout = Files.createTempFile(scratch, "tool", ".out");
    try {
      run(command, env, what, stdout);
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(stdout);
    }
  }

  private void run(List<String> command, Map<String, String> env, String what, Path stdout)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    Path stderr = Files.createTempFile(scratch, "tool", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
      builder.environment().putAll(env);
      builder.environment().put("LC_ALL", "C.UTF-8");
      builder.redirectInput(new File("/dev/null"));
      builder.redirectOutput(stdout.toFile());
      builder.redirectError(stderr.toFile());
      int code = builder.start().waitFor();
      if (code != 0) {
        throw new IllegalStateException(
            what
                + " exited with code "
                + code
                + ": "
                + Files.readString(stderr, StandardCharsets.UTF_8).strip());
      }
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
