package io.pgfleet.commands;

import java.util.regex.Pattern;

/**
 * Which backup a command means: {@code latest} (the newest complete backup of the command's target)
 * or the {@code s3://bucket/key.dump} URI of one artifact.
 */
public final class ArtifactSelector {
  public static final String LATEST = "latest";
  private static final Pattern URI =
      Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,62}/[\\x21-\\x7e]{1,1000}");

  private ArtifactSelector() {}

  /** Null becomes {@code latest}; anything else must be {@code latest} or an s3 URI. */
  public static String require(String selector) {
    if (selector == null) {
      return LATEST;
    }
    if (!selector.equals(LATEST) && !URI.matcher(selector).matches()) {
      throw new IllegalArgumentException(
          "artifact must be 'latest' or an s3://bucket/key URI, not " + Printable.quote(selector));
    }
    return selector;
  }
}
