package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SignatureTest {
  private final KeyPair keys = Ed25519Keys.generate();
  private static final Topics TOPICS = Topics.defaults();
  private final CommandSigner signer = new CommandSigner("ops-team", keys.getPrivate());
  private final CommandCodec codec = new CommandCodec();

  @Test
  void a_signed_command_verifies_with_the_signers_public_key() throws Exception {
    Command command = Commands.backup("order_db").build();

    CommandCodec.Received received = codec.decodeReceived(signer.encode(command, TOPICS));

    CommandCodec.Signed signed = received.signature().orElseThrow();
    assertThat(signed.signer()).isEqualTo("ops-team");
    assertThat(
            CommandSigner.verify(
                keys.getPublic(),
                Canonical.forTopic("pgfleet.commands.order_db", signed.content()),
                signed.signature()))
        .isTrue();
    assertThat(received.command()).isEqualTo(command);
  }

  @Test
  void the_signature_does_not_survive_a_new_id_a_new_target_or_reordered_keys() throws Exception {
    byte[] original = signer.encode(Commands.backup("order_db").id("c-1").build(), TOPICS);
    ObjectNode event = (ObjectNode) Json.mapper().readTree(original);

    assertThat(verifies(event.deepCopy().put("id", "c-2"))).isFalse();
    assertThat(verifies(event.deepCopy().put("subject", "payment_db"))).isFalse();
    ObjectNode reordered = Json.mapper().createObjectNode();
    reordered.set("data", event.get("data"));
    event.fields().forEachRemaining(e -> reordered.set(e.getKey(), e.getValue()));
    assertThat(verifies(reordered)).isTrue();
  }

  @Test
  void another_key_does_not_verify() throws Exception {
    CommandCodec.Signed signed =
        codec
            .decodeReceived(signer.encode(Commands.backup("order_db").build(), TOPICS))
            .signature()
            .orElseThrow();

    assertThat(
            CommandSigner.verify(
                Ed25519Keys.generate().getPublic(),
                Canonical.forTopic("pgfleet.commands.order_db", signed.content()),
                signed.signature()))
        .isFalse();
  }

  @Test
  void keys_round_trip_through_their_text_form() {
    String pub = Ed25519Keys.encode(keys.getPublic());
    String priv =
        "-----BEGIN PRIVATE KEY-----\n"
            + Ed25519Keys.encode(keys.getPrivate())
            + "\n-----END PRIVATE KEY-----\n";

    assertThat(Ed25519Keys.publicKey(pub)).isEqualTo(keys.getPublic());
    assertThat(Ed25519Keys.privateKey(priv).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void the_signature_does_not_survive_another_fleets_topic() throws Exception {
    ObjectNode event =
        (ObjectNode)
            Json.mapper()
                .readTree(signer.encode(Commands.backup("order_db").id("c-1").build(), TOPICS));

    assertThat(verifies(event, "pgfleet.commands.order_db")).isTrue();
    assertThat(verifies(event, "staging.commands.order_db")).isFalse();
  }

  private boolean verifies(ObjectNode event) throws Exception {
    return verifies(event, "pgfleet.commands." + event.path("subject").asText());
  }

  private boolean verifies(ObjectNode event, String topic) throws Exception {
    CommandCodec.Signed s =
        codec.decodeReceived(Json.mapper().writeValueAsBytes(event)).signature().orElseThrow();
    return CommandSigner.verify(
        keys.getPublic(), Canonical.forTopic(topic, s.content()), s.signature());
  }
}
