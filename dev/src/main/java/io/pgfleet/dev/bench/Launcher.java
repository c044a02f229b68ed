package io.pgfleet.dev.bench;

import io.pgfleet.cli.Main;
import io.pgfleet.runtime.config.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code pgfleet} script that started this jar ({@code cli/target/pgfleet.jar}).
 */
final class Launcher {
  private Launcher() {}

  static Path path() {
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path script = jar.toAbsolutePath().getParent().getParent().getParent().resolve("pgfleet");
      if (jar.toString().endsWith(".jar") && Files.isExecutable(script)) {
        return script;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through: not started from the repository's jar
    }
    throw new ConfigException(
        "--spool needs the pgfleet launcher script: run the bench as ./pgfleet bench ... from the"
            + " repository");
  }

  /**
   * How the PostgreSQL server's OS user runs this jar's pgfleet in restore_command: java with the
   * launcher's fast-start options, this jar, the CLI's main class.
   */
  static String serverCommand() {
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.toString().endsWith(".jar")) {
        return Path.of(System.getProperty("java.home"), "bin", "java")
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "
            + jar.toAbsolutePath()
            + " "
            + Main.class.getName();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through: not started from a jar
    }
    throw new ConfigException(
        "this scenario needs a jar the database server's OS user can run: run the bench as"
            + " ./pgfleet bench ... from the repository");
  }
}
