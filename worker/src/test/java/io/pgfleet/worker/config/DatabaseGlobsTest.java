package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which database names include and exclude globs select: pure logic, no server. */
class DatabaseGlobsTest {
  @Test
  void a_star_matches_any_run_of_characters_and_a_question_mark_exactly_one() {
    DatabaseGlobs globs = new DatabaseGlobs(List.of("*_db", "app?"), List.of());
    assertThat(globs.selects("order_db")).isTrue();
    assertThat(globs.selects("_db")).isTrue();
    assertThat(globs.selects("order_db_old")).isFalse();
    assertThat(globs.selects("app1")).isTrue();
    assertThat(globs.selects("app")).isFalse();
    assertThat(globs.selects("app12")).isFalse();
  }

  @Test
  void an_exclude_glob_wins_over_an_include_glob() {
    DatabaseGlobs globs = new DatabaseGlobs(List.of("*"), List.of("legacy_*", "*_test"));
    assertThat(globs.selects("order_db")).isTrue();
    assertThat(globs.selects("legacy_orders")).isFalse();
    assertThat(globs.selects("order_test")).isFalse();
  }

  @Test
  void other_characters_match_only_themselves_even_those_special_in_regular_expressions() {
    DatabaseGlobs globs = new DatabaseGlobs(List.of("a.b", "[x]*", "c+"), List.of());
    assertThat(globs.selects("a.b")).isTrue();
    assertThat(globs.selects("axb")).isFalse();
    assertThat(globs.selects("[x]yz")).isTrue();
    assertThat(globs.selects("xyz")).isFalse();
    assertThat(globs.selects("c+")).isTrue();
    assertThat(globs.selects("cc")).isFalse();
  }
}
