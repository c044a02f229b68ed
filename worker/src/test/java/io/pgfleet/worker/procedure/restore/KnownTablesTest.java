package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.storage.Manifest;
import org.junit.jupiter.api.Test;

/**
 * A line of pg_restore's output names a table only when one table prints that way: two tables that
 * print alike are never read early.
 */
class KnownTablesTest {
  private static final Manifest.TableCount DOTTED_SCHEMA = new Manifest.TableCount("a.b", "c", 1);
  private static final Manifest.TableCount DOTTED_TABLE = new Manifest.TableCount("a", "b.c", 2);
  private static final Manifest.TableCount PLAIN = new Manifest.TableCount("a", "b", 3);

  @Test
  void two_tables_printed_alike_are_neither_named_nor_constrained() {
    KnownTables known = new KnownTables(TestManifests.custom(DOTTED_SCHEMA, DOTTED_TABLE, PLAIN));

    assertThat(known.named("a.b.c")).isNull();
    assertThat(known.ofConstraint("a.b.c c_pkey")).isNull();
  }

  @Test
  void a_table_printed_once_is_named_and_constrained_by_the_longest_name() {
    KnownTables known = new KnownTables(TestManifests.custom(DOTTED_TABLE, PLAIN));

    assertThat(known.named("a.b.c")).isSameAs(DOTTED_TABLE);
    assertThat(known.named("a.b")).isSameAs(PLAIN);
    assertThat(known.named("a.x")).isNull();
    assertThat(known.ofConstraint("a.b.c c_pkey")).isSameAs(DOTTED_TABLE);
    assertThat(known.ofConstraint("a.b b_pkey")).isSameAs(PLAIN);
  }

  @Test
  void an_ambiguous_name_does_not_fall_back_to_a_shorter_one() {
    KnownTables known = new KnownTables(TestManifests.custom(DOTTED_SCHEMA, DOTTED_TABLE, PLAIN));

    assertThat(known.ofConstraint("a.b.c c_pkey")).isNull();
    assertThat(known.ofConstraint("a.b b_pkey")).isSameAs(PLAIN);
  }
}
