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
  void the_target_of_a_topic_is_what_the_command_topic_pattern_captures() {
    Topics dotted = new Topics("a.b-c");
    for (Topics t : java.util.List.of(topics, dotted)) {
      for (String topic :
          java.util.List.of(
              t.prefix() + ".commands.order_db",
              t.prefix() + ".commands.",
              t.prefix() + ".commands.x\ny",
              t.prefix() + ".commands.x\u2028",
              t.prefix() + ".commands.\u00e9",
              t.prefix() + ".results",
              t.prefix() + "Xcommands.a",
              "other." + t.prefix() + ".commands.a",
              "a-bXc.commands.order_db")) {
        java.util.regex.Matcher m = t.commandTopics().matcher(topic);
        assertThat(t.targetOf(topic))
            .as(topic)
            .isEqualTo(
                m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty());
      }
    }
  }

  @Test
  void a_target_that_cannot_be_a_topic_is_refused() {
    assertThatThrownBy(() -> topics.commands("a/b")).hasMessageContaining("invalid target name");
  }
}
