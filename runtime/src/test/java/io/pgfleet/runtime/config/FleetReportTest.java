package io.pgfleet.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetReportTest {
  @Test
  void each_value_names_its_origin_and_targets_that_deviate_from_the_defaults_are_listed()
      throws Exception {
    ObjectNode file =
        (ObjectNode)
            new YAMLMapper()
                .readTree(
                    """
                    defaults: {host: h, user: u, password: {env: P}, retention: {keepLast: 7}}
                    profiles: {audited: {retention: {keepDays: 90}}}
                    targets:
                      a_db: {user: a}
                      b_db: {extends: audited, port: 6000, retention: {keepLast: 3}}
                    """);
    List<String> problems = new ArrayList<>();

    List<String> lines = FleetReport.lines(file, problems);

    assertThat(problems).isEmpty();
    assertThat(lines)
        .contains(
            "a_db:",
            "  host: h   (defaults)",
            "  user: a   (target)",
            "  retention.keepDays: 90   (profile audited)",
            "  retention.keepLast: 3   (target)",
            "policy drift: 1 target(s) deviate from the defaults",
            "  b_db: retention.keepLast (target), retention.keepDays (profile audited)");
  }
}
