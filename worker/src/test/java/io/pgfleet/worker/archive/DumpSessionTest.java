package io.pgfleet.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** pg_dump's environment and the drill's COPY sessions take their settings from one place. */
class DumpSessionTest {
  @Test
  void pg_dumps_environment_is_libpqs_plus_the_time_zone_and_the_options_of_the_settings() {
    Map<String, String> env = DumpSession.environment(Map.of("PGHOST", "h", "PGTZ", "Europe/Rome"));

    assertThat(env)
        .containsOnly(
            Map.entry("PGHOST", "h"),
            Map.entry("PGTZ", "UTC"),
            Map.entry("PGOPTIONS", "-c bytea_output=hex -c synchronize_seqscans=off"));
  }

  @Test
  void the_settings_are_utc_hex_bytea_and_no_synchronized_scans_in_that_order() {
    assertThat(DumpSession.settings())
        .containsExactly(
            Map.entry("TimeZone", "UTC"),
            Map.entry("bytea_output", "hex"),
            Map.entry("synchronize_seqscans", "off"));
  }
}
