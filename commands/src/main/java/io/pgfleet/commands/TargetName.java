package io.pgfleet.commands;

import java.util.regex.Pattern;

/**
 * Logical target names ({@code order_db}). They become part of a Kafka topic name and of S3 keys,
 * so only letters, digits, '_' and '-' are allowed: never a dot, a slash or a path.
 */
public final class TargetName {
  static final String REGEX = "[A-Za-z0-9][A-Za-z0-9_-]{0,62}";
  private static final Pattern PATTERN = Pattern.compile(REGEX);

  private TargetName() {}

  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /** Returns the name, or throws saying what a valid one looks like. */
  public static String require(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid target name "
              + Printable.quote(name)
              + ": use 1-63 letters, digits, '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
