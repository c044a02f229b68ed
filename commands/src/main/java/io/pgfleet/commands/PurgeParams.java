package io.pgfleet.commands;

import java.util.regex.Pattern;

/**
 * Parameters of a retention purge: only the name of a policy that the target's worker config
 * defines. What to delete (table, columns, age, archive) lives in that policy, never in a command.
 *
 * @param policy e.g. {@code outbox-published}
 */
public record PurgeParams(String policy) implements OperationParams {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  public PurgeParams {
    requireName(policy);
  }

  /** Policy names: 1-63 letters, digits, '_' or '-', starting with a letter or digit. */
  public static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid policy name "
              + Printable.quote(name)
              + ": use 1-63 letters, digits, '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
