package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.storage.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two tables that print alike ({@code "a.b".c} and {@code a."b.c"}) are each compared with their
 * own manifest entry: neither hides the other.
 */
class RestoredContentKeysTest {
  private static final String ONE = "1".repeat(64);
  private static final String TWO = "2".repeat(64);
  private static final Manifest.TableCount DOTTED_SCHEMA =
      new Manifest.TableCount("a.b", "c", 1, 10L, ONE, 1);
  private static final Manifest.TableCount DOTTED_TABLE =
      new Manifest.TableCount("a", "b.c", 2, 20L, TWO, 2);

  @Test
  void keys_of_tables_printed_alike_differ_and_a_plain_name_keys_as_printed() {
    assertThat(DOTTED_SCHEMA.name()).isEqualTo(DOTTED_TABLE.name());
    assertThat(DOTTED_SCHEMA.key()).isEqualTo("\"a.b\".c").isNotEqualTo(DOTTED_TABLE.key());
    assertThat(DOTTED_TABLE.key()).isEqualTo("a.\"b.c\"");
    assertThat(Manifest.tableKey("public", "orders")).isEqualTo("public.orders");
    assertThat(Manifest.tableKey("x\"", "y")).isEqualTo("\"x\"\"\".y");
  }

  @Test
  void each_of_two_tables_printed_alike_is_compared_with_its_own_entry() {
    Manifest manifest = TestManifests.custom(DOTTED_SCHEMA, DOTTED_TABLE);
    TableDigest.Content one = new TableDigest.Content(1, 10, ONE);
    TableDigest.Content two = new TableDigest.Content(2, 20, TWO);

    assertThat(
            RestoredContent.differences(
                manifest, Map.of(DOTTED_SCHEMA.key(), one, DOTTED_TABLE.key(), two)))
        .isEmpty();

    List<String> swapped =
        RestoredContent.differences(
            manifest, Map.of(DOTTED_SCHEMA.key(), two, DOTTED_TABLE.key(), one));
    assertThat(swapped).hasSize(2);
    assertThat(swapped.get(0)).startsWith("\"a.b\".c: content differs");

    List<String> oneMissing =
        RestoredContent.differences(manifest, Map.of(DOTTED_TABLE.key(), two));
    assertThat(oneMissing)
        .containsExactly("\"a.b\".c: 1 rows in the manifest, missing after restore");
  }
}
