package io.pgfleet.commands.wire;

import io.pgfleet.commands.TargetName;
import java.util.Optional;
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
    // What commandTopics() matches, without compiling it for every record the worker reads.
    String start = prefix + ".commands.";
    if (!topic.startsWith(start) || topic.length() == start.length()) {
      return Optional.empty();
    }
    String target = topic.substring(start.length());
    return target.chars().anyMatch(Topics::lineTerminator) ? Optional.empty() : Optional.of(target);
  }

  /** The characters a regular expression's {@code .} does not match. */
  private static boolean lineTerminator(int c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
