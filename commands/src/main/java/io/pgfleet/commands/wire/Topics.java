package io.pgfleet.commands.wire;

import io.pgfleet.commands.TargetName;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Topic names: {@code <prefix>.commands.<target>} (one per target database, one partition), {@code
 * <prefix>.results} and {@code <prefix>.dlq}.
 */
public record Topics(String prefix) {
  public static final String DEFAULT_PREFIX = "pgfleet";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");

  public Topics {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "invalid topic prefix '" + prefix + "': use letters, digits, '.', '_' or '-'");
    }
  }

  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  public String commands(String target) {
    return prefix + ".commands." + TargetName.require(target);
  }

  public String results() {
    return prefix + ".results";
  }

  public String dlq() {
    return prefix + ".dlq";
  }

  /**
   * Matches every command topic, including ones whose target part is not a valid name. (Workers
   * subscribe to their own targets' topics only, not to this pattern.)
   */
  public Pattern commandTopics() {
    return Pattern.compile(Pattern.quote(prefix + ".commands.") + "(.+)");
  }

  /** The target part of a command topic's name, whether or not it is a valid target name. */
  public Optional<String> targetOf(String topic) {
    Matcher m = commandTopics().matcher(topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
