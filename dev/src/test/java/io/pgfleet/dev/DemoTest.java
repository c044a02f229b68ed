package io.pgfleet.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user would see it. */
class DemoTest {
  @Test
  void the_demo_backs_up_and_verifies_every_sample_database(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok;
    try (Demo demo = new Demo(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
      ok = demo.run();
      demo.printEndpoints();
      String endpoints = buffer.toString(StandardCharsets.UTF_8);
      assertThat(endpoints).contains("  Kafka       ").contains("AWS_SECRET_ACCESS_KEY=");
      canLogInToPostgresAsPrinted(endpoints);
    }
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(ok).as(out).isTrue();
    assertThat(out)
        .contains("3 of 3 databases backed up, 3 restore drills passed, 3 artifacts verified")
        .contains("status page: http://127.0.0.1:")
        .contains("drill passed: sha256 verified, the content of")
        .contains("3 of 3 databases health-checked, 5 of 5 retention purges done")
        .containsPattern("outbox-published: \\d+ rows deleted")
        .containsPattern("succeeded order_db\\s+backup")
        .containsPattern("succeeded payment_db\\s+backup")
        .containsPattern("succeeded warehouse_db\\s+backup");
    assertThat(out.lines().filter(l -> l.contains("sha256 matches the manifest")).count())
        .isEqualTo(3);
  }

  /** `demo --keep` prints what it takes to reach its PostgreSQL: that login works. */
  private static void canLogInToPostgresAsPrinted(String endpoints) throws Exception {
    Matcher server = Pattern.compile("PostgreSQL  (\\S+):(\\d+)").matcher(endpoints);
    Matcher login = Pattern.compile("PG login    user (\\S+) password (\\S+)").matcher(endpoints);
    assertThat(server.find()).as(endpoints).isTrue();
    assertThat(login.find()).as(endpoints).isTrue();
    String url = "jdbc:postgresql://" + server.group(1) + ":" + server.group(2) + "/order_db";
    try (Connection c = DriverManager.getConnection(url, login.group(1), login.group(2));
        ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("order_db");
    }
  }
}
