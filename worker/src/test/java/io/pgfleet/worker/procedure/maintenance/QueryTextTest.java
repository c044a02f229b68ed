package io.pgfleet.worker.procedure.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTextTest {
  @Test
  void string_literals_are_masked_so_that_no_data_or_password_leaves() {
    assertThat(QueryText.preview("ALTER ROLE app PASSWORD 'hunter2'"))
        .isEqualTo("ALTER ROLE app PASSWORD '?'");
    assertThat(QueryText.preview("SELECT * FROM users WHERE email = 'a@b.c' AND note = 'it''s'"))
        .isEqualTo("SELECT * FROM users WHERE email = '?' AND note = '?'");
    assertThat(QueryText.preview("DO $body$ BEGIN PERFORM 1; END $body$")).isEqualTo("DO '?'");
    assertThat(QueryText.preview("SELECT $1, $2")).isEqualTo("SELECT $1, $2");
  }

  @Test
  void text_cut_off_inside_a_literal_is_masked_too_and_long_text_is_shortened() {
    assertThat(QueryText.preview("INSERT INTO t VALUES ('secret-that-was-trunc"))
        .isEqualTo("INSERT INTO t VALUES ('?'");
    assertThat(QueryText.preview("SELECT\n  1   +\t2")).isEqualTo("SELECT 1 + 2");
    assertThat(QueryText.preview("SELECT " + "x, ".repeat(100))).hasSize(203).endsWith("...");
  }
}
