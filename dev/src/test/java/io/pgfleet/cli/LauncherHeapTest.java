package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code pgfleet} launcher gives a worker a fixed, pre-touched heap only when the
 * user sized none, so a user's own heap options are never refused; it fixes glibc's mmap threshold
 * unless set. Its {@code java} here prints the arguments and environment it was started with.
 */
class LauncherHeapTest {
  private static final List<String> DEFAULTS =
      List.of("-Xms192m", "-XX:+AlwaysPreTouch", "-Xmx1g", "-XX:MetaspaceSize=128m");

  @TempDir Path dir;

  @Test
  void a_worker_started_without_heap_options_gets_a_fixed_heap_touched_at_start() throws Exception {
    long memory =
        ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
    assumeTrue(memory >= 1L << 30, "the launcher leaves the heap alone under 1 GiB");
    String started = launch(Map.of(), "worker", "--config", "worker.yaml");
    assertThat(started.lines())
        .containsSubsequence("-Xms192m", "-XX:+AlwaysPreTouch", "-XX:MetaspaceSize=128m", "-jar");
    if (memory >= 4L << 30) { // under that the JVM's own maximum, a quarter of it, is the lower
      assertThat(started.lines()).containsSubsequence("-Xmx1g", "-jar");
    } else {
      assertThat(started.lines()).doesNotContain("-Xmx1g");
    }
    assertThat(started).contains("MALLOC_MMAP_THRESHOLD_=1048576", "MALLOC_ARENA_MAX=2");
  }

  @Test
  void a_users_own_heap_size_in_any_java_options_variable_replaces_the_default() throws Exception {
    for (Map<String, String> env :
        List.of(
            Map.of("PGFLEET_JAVA_OPTS", "-Xmx128m"),
            Map.of("PGFLEET_JAVA_OPTS", "-XX:+UseSerialGC -Xms64m"),
            Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=50"),
            Map.of("JDK_JAVA_OPTIONS", "-XX:MaxHeapSize=100m"),
            Map.of("PGFLEET_JAVA_OPTS", "-XX:-AlwaysPreTouch"))) {
      String started = launch(env, "worker", "--config", "worker.yaml");
      assertThat(started.lines()).as("%s", env).doesNotContainAnyElementsOf(DEFAULTS);
      env.values().forEach(v -> assertThat(started).as("%s", env).contains(v.split(" ")));
    }
  }

  @Test
  void a_users_own_metaspace_threshold_replaces_only_that_default() throws Exception {
    String started =
        launch(Map.of("PGFLEET_JAVA_OPTS", "-XX:MetaspaceSize=256m"), "worker", "--config", "w");
    assumeTrue(started.lines().anyMatch("-Xms192m"::equals), "the default applies on this machine");
    assertThat(started.lines())
        .doesNotContain("-XX:MetaspaceSize=128m")
        .contains("-XX:MetaspaceSize=256m", "-XX:+AlwaysPreTouch");
  }

  @Test
  void a_heap_option_after_a_tab_or_a_newline_or_quoted_also_replaces_the_default()
      throws Exception {
    String control = launch(Map.of("PGFLEET_JAVA_OPTS", "-XX:+UseSerialGC\t-Dx=1"), "worker");
    assumeTrue(control.lines().anyMatch("-Xms192m"::equals), "the default applies on this machine");
    for (Map<String, String> env :
        List.of(
            Map.of("PGFLEET_JAVA_OPTS", "-XX:+UseSerialGC\t-Xmx128m"),
            Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC\n-Xms64m"),
            Map.of("JDK_JAVA_OPTIONS", "\"-Xmx128m\""),
            Map.of("JDK_JAVA_OPTIONS", "-Dx=1 '-XX:MaxRAM=2g'"))) {
      String started = launch(env, "worker", "--config", "worker.yaml");
      assertThat(started.lines()).as("%s", env).doesNotContainAnyElementsOf(DEFAULTS);
    }
  }

  @Test
  void a_glob_character_in_pgfleet_java_opts_reaches_java_as_written() throws Exception {
    Files.createFile(dir.resolve("-Dglob=expanded")); // in the launcher's working directory
    Files.createFile(dir.resolve("-Done=1"));
    String started = launch(Map.of("PGFLEET_JAVA_OPTS", "-Dglob=* -Done=?"), "submit", "--help");
    assertThat(started.lines())
        .contains("-Dglob=*", "-Done=?")
        .doesNotContain("-Dglob=expanded", "-Done=1");
  }

  @Test
  void only_the_worker_gets_the_fixed_heap_and_a_users_mmap_threshold_stays() throws Exception {
    String started =
        launch(Map.of("MALLOC_MMAP_THRESHOLD_", "131072"), "submit", "--help", "--verbose");
    assertThat(started.lines()).doesNotContainAnyElementsOf(DEFAULTS);
    assertThat(started).contains("MALLOC_MMAP_THRESHOLD_=131072");
  }

  private String launch(Map<String, String> env, String... args) throws Exception {
    Path script = launcherWithFakeJava();
    ProcessBuilder pb = new ProcessBuilder(script.toString()).directory(dir.toFile());
    pb.command().addAll(List.of(args));
    pb.environment()
        .keySet()
        .removeAll(
            List.of(
                "PGFLEET_JAVA_OPTS",
                "JAVA_TOOL_OPTIONS",
                "JDK_JAVA_OPTIONS",
                "MALLOC_MMAP_THRESHOLD_",
                "MALLOC_ARENA_MAX"));
    pb.environment().putAll(env);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private Path launcherWithFakeJava() throws IOException {
    Path script = dir.resolve("pgfleet");
    Path repository = Path.of("").toAbsolutePath().getParent();
    Files.copy(repository.resolve("pgfleet"), script, StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir.resolve("cli/target"));
    Files.writeString(dir.resolve("cli/target/pgfleet.jar"), ""); // never built: no sources here
    Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n"
            + "echo MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_\n"
            + "echo MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\n"
            + "echo \"$JAVA_TOOL_OPTIONS\"\necho \"$JDK_JAVA_OPTIONS\"\n");
    for (Path p : List.of(script, java)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return script;
  }
}
