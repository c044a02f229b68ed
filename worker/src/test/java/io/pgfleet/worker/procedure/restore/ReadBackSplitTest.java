package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.storage.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBackSplitTest {
  private static Manifest.TableCount table(String name, long bytes) {
    return new Manifest.TableCount("public", name, bytes / 100, bytes, "00", 1);
  }

  @Test
  void the_largest_table_is_read_alone_while_the_other_process_reads_all_the_rest() {
    ReadBackSplit split =
        ReadBackSplit.of(
            List.of(
                table("phrases", 10),
                table("events", 600),
                table("orders", 300),
                table("customers", 90)));

    assertThat(split.named()).containsExactly("\"public\".\"events\"");
    assertThat(split.arguments())
        .containsExactly(
            List.of("--table=\"public\".\"events\""),
            List.of("--exclude-table=\"public\".\"events\""));
  }

  @Test
  void one_table_is_read_by_a_single_unfiltered_pg_dump() {
    assertThat(ReadBackSplit.of(List.of(table("only", 5))).arguments()).containsExactly(List.of());
    assertThat(ReadBackSplit.of(List.of()).arguments()).containsExactly(List.of());
  }

  @Test
  void names_are_quoted_so_pattern_characters_and_quotes_match_literally() {
    Manifest.TableCount odd = new Manifest.TableCount("my.schema", "a*\"b?", 1, 1L, "00", 1);

    assertThat(ReadBackSplit.pattern(odd)).isEqualTo("\"my.schema\".\"a*\"\"b?\"");
  }
}
