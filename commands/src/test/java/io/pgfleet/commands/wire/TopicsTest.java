package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
  private final Topics topics = new Topics("pgfleet");

  @Test
  void names_follow_the_design() {
    assertThat(topics.commands("order_db")).isEqualTo("pgfleet.commands.order_db");
    assertThat(topics.results()).isEqualTo("pgfleet.results");
    assertThat(topics.dlq()).isEqualTo("pgfleet.dlq");
  }

  @Test
  void the_pattern_sees_every_command_topic_even_badly_named_ones() {
    assertThat(topics.commandTopics().matcher("pgfleet.commands.order_db").matches()).isTrue();
    assertThat(topics.targetOf("pgfleet.commands.bad.name")).contains("bad.name");
    assertThat(topics.commandTopics().matcher("pgfleet.results").matches()).isFalse();
    assertThat(topics.commandTopics().matcher("pgfleetXcommands.a").matches()).isFalse();
  }

  @Test
  void a_target_that_cannot_be_a_topic_is_refused() {
    assertThatThrownBy(() -> topics.commands("a/b")).hasMessageContaining("invalid target name");
  }
}
