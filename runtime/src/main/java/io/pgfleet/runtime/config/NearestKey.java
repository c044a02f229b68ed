package io.pgfleet.runtime.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The known key a misspelled one was probably meant to be. */
final class NearestKey {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private NearestKey() {}

  /** The closest of {@code known}, if it is within a third of the key's length (at least 2). */
  static Optional<String> to(String key, Collection<String> known) {
    int limit = Math.max(2, key.length() / 3);
    return known.stream()
        .min(Comparator.comparingInt((String k) -> distance(key, k)))
        .filter(k -> distance(key, k) <= limit);
  }

  private static int distance(String a, String b) {
    return DISTANCE.apply(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT));
  }
}
