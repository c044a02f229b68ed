package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireTimeTest {
  private static final String ODD_CHARACTERS = "0123456789-:T.Zzt+ \u0663\uff11";

  @Test
  void every_time_reads_as_instant_parse_reads_it_or_fails_with_its_exception() {
    Random random = new Random(18);
    List<String> texts = new ArrayList<>(edgeCases());
    for (int i = 0; i < 20_000; i++) {
      String valid = encoded(random);
      assertThat(WireTime.quick(valid)).as("the short path reads " + valid).isNotNull();
      texts.add(valid);
      char[] mutated = valid.toCharArray();
      mutated[random.nextInt(mutated.length)] =
          ODD_CHARACTERS.charAt(random.nextInt(ODD_CHARACTERS.length()));
      texts.add(new String(mutated));
      texts.add(valid.substring(0, random.nextInt(valid.length())));
    }
    for (String text : texts) {
      assertThat(outcome(() -> WireTime.parse(text)))
          .as(text)
          .isEqualTo(outcome(() -> Instant.parse(text)));
    }
  }

  private static List<String> edgeCases() {
    return List.of(
        "2026-12-06T10:19:52Z",
        "2026-12-06T10:19:52.9Z",
        "2026-12-06T10:19:52.123456789Z",
        "2026-12-06T10:19:52.1234567890Z",
        "2026-12-06T10:19:52.Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2024-02-29T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-13-10T00:00:00Z",
        "2026-12-00T00:00:00Z",
        "2026-12-32T00:00:00Z",
        "2026-12-06T24:00:00Z",
        "2026-12-06T23:60:00Z",
        "2016-12-31T23:59:60Z",
        "2026-12-06t10:19:52z",
        "2026-12-06T10:19:52+01:00",
        "2026-12-06T10:19:52.5-00:30",
        "+12026-12-06T10:19:52Z",
        " 2026-12-06T10:19:52Z",
        "2026-12-06T10:19:5\u0663Z",
        "");
  }

  private static String encoded(Random random) {
    long seconds = random.nextLong(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
    String whole = Instant.ofEpochSecond(seconds).toString(); // yyyy-MM-ddTHH:mm:ssZ
    int digits = random.nextInt(10);
    if (digits == 0) {
      return whole;
    }
    String fraction = String.format("%09d", random.nextInt(1_000_000_000)).substring(0, digits);
    return whole.substring(0, whole.length() - 1) + "." + fraction + "Z";
  }

  private static Object outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }
}
