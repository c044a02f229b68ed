package io.pgfleet.worker.procedure.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalyzeOutputTest {
  @Test
  void each_tables_sample_is_read_under_the_table_it_belongs_to() {
    AnalyzeOutput out =
        AnalyzeOutput.parse(
            List.of(
                new Message("INFO", "analyzing \"public.t\""),
                new Message(
                    "INFO",
                    "\"t\": scanned 45 of 90 pages, containing 5000 live rows and 7 dead rows;"
                        + " 5000 rows in sample, 10000 estimated total rows"),
                new Message("WARNING", "skipping analyze of \"busy\" --- lock not available")));

    assertThat(out.tables())
        .containsExactly(
            java.util.Map.entry("public.t", new AnalyzeOutput.Sample(45, 90, 5000, 10000)));
    assertThat(out.skipped()).hasSize(1);
  }
}
