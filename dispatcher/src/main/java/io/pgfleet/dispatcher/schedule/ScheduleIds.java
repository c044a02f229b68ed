package io.pgfleet.dispatcher.schedule;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Command ids of schedules: {@code <name>:<target>:<instant>:<tag>}, the tag an HMAC-SHA256 of
 * schedule, target and instant under a key kept in the dispatcher's database. Every replica and
 * every firing of one instant gives the same id (so a dispatcher firing twice is a duplicate), but
 * a producer without the key cannot predict tomorrow's id and pre-empt the backup with another
 * command under it.
 */
public final class ScheduleIds {
  /** The longest command id the schemas accept. */
  static final int MAX_ID = 128;

  private static final int TAG_HEX = 24; // 96 bits
  private static final int KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public ScheduleIds(byte[] key) {
    if (key.length < KEY_BYTES) {
      throw new IllegalArgumentException("a schedule id key has at least " + KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** The fleet's key, made (random) by the first dispatcher that starts on this database. */
  public static ScheduleIds stored(DataSource dataSource) {
    byte[] fresh = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(fresh);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO pgfleet.schedule_id_key (key) VALUES (?) ON CONFLICT DO NOTHING")) {
        ps.setBytes(1, fresh);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT key FROM pgfleet.schedule_id_key");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new ScheduleIds(rs.getBytes(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the schedule id key: " + e.getMessage(), e);
    }
  }

  /** The id of a schedule's command for one target and instant. */
  public String commandId(Schedule schedule, String target, Instant instant) {
    String readable = schedule.commandId(target, instant);
    int room = MAX_ID - TAG_HEX - 1;
    if (readable.length() > room) {
      readable = readable.substring(0, room); // the tag, over the whole name, keeps it unique
    }
    return readable + ":" + tag(schedule.name() + "\n" + target + "\n" + instant);
  }

  private String tag(String message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, TAG_HEX);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
    }
  }
}
