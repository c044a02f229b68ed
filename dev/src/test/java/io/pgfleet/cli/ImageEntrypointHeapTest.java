package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint ({@code deploy/image/pgfleet}, run by {@code /bin/sh}) gives a worker the
 * launcher's heap ({@link LauncherHeapTest}) unless the user sized it, and keeps its own cap and
 * exit on OutOfMemoryError. Its {@code java} here prints the arguments it was started with.
 */
class ImageEntrypointHeapTest {
  private static final List<String> DEFAULTS =
      List.of("-Xms192m", "-XX:+AlwaysPreTouch", "-Xmx1g", "-XX:MetaspaceSize=128m");

  @TempDir Path dir;

  @Test
  void a_worker_in_the_image_gets_the_launchers_heap_within_the_images_own_cap() throws Exception {
    long memory =
        ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
    assumeTrue(memory >= 1L << 30, "the entrypoint leaves the heap alone under 1 GiB");
    List<String> started = launch(Map.of(), "worker", "--config", "/etc/pgfleet/worker.yaml");
    assertThat(started)
        .containsSubsequence(
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-Xms192m",
            "-XX:+AlwaysPreTouch",
            "-XX:MetaspaceSize=128m",
            "-jar",
            "/opt/pgfleet/pgfleet.jar",
            "worker");
    if (memory >= 4L << 30) {
      assertThat(started).containsSubsequence("-Xmx1g", "-jar");
    } else {
      assertThat(started).doesNotContain("-Xmx1g");
    }
  }

  @Test
  void a_users_heap_in_any_java_options_variable_replaces_the_default_and_the_dispatcher_has_none()
      throws Exception {
    for (Map<String, String> env :
        List.of(
            Map.of("JAVA_OPTS", "-Xmx512m"),
            Map.of("JAVA_OPTS", "-XX:+UseSerialGC\t-Xms64m"),
            Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=50"),
            Map.of("JDK_JAVA_OPTIONS", "'-XX:MaxHeapSize=100m'"),
            Map.of("JAVA_OPTS", "-XX:-AlwaysPreTouch"))) {
      assertThat(launch(env, "worker")).as("%s", env).doesNotContainAnyElementsOf(DEFAULTS);
    }
    assertThat(launch(Map.of(), "dispatcher", "--config", "d.yaml"))
        .doesNotContainAnyElementsOf(DEFAULTS)
        .contains("-XX:MaxRAMPercentage=75");
  }

  @Test
  void a_glob_character_in_java_opts_reaches_java_as_written() throws Exception {
    Files.createFile(dir.resolve("-Dglob=expanded"));
    List<String> started = launch(Map.of("JAVA_OPTS", "-Dglob=* -Dx=1"), "dispatcher");
    assertThat(started).contains("-Dglob=*", "-Dx=1").doesNotContain("-Dglob=expanded");
  }

  private List<String> launch(Map<String, String> env, String... args) throws Exception {
    Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path entrypoint = Path.of("").toAbsolutePath().getParent().resolve("deploy/image/pgfleet");
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", entrypoint.toString()).directory(dir.toFile());
    pb.command().addAll(List.of(args));
    pb.environment()
        .keySet()
        .removeAll(List.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().toList();
  }
}
