package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalStreamSettingsTest {
  private final WalStreamSettings defaults = new WalStreamSettings(true, null, null);

  @Test
  void a_target_whose_name_is_a_slot_name_streams_from_pgfleet_and_its_name() {
    assertThat(defaults.slotOf("order_db")).isEqualTo("pgfleet_order_db");
  }

  @Test
  void targets_whose_names_differ_only_in_dash_case_or_past_the_limit_get_different_slots() {
    String long1 = "a".repeat(60) + "1";
    String long2 = "a".repeat(60) + "2";
    for (String[] pair :
        new String[][] {{"orders-db", "orders_db"}, {"Orders", "orders"}, {long1, long2}}) {
      String a = defaults.slotOf(pair[0]);
      String b = defaults.slotOf(pair[1]);
      assertThat(a).as("%s and %s", pair[0], pair[1]).isNotEqualTo(b);
      assertThat(a).matches("[a-z0-9_]{1,63}");
      assertThat(b).matches("[a-z0-9_]{1,63}");
    }
  }
}
