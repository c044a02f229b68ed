package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TrustedSigner;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may ask for what: signatures by trusted producers, checked before anything runs. */
class AuthorizationTest {
  private static final KeyPair OPS = Ed25519Keys.generate();
  private static final KeyPair NARROW = Ed25519Keys.generate();
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static String guarded;
  private static String open;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    guarded = fleet.target("order_db");
    open = fleet.target("payment_db");
    results = fleet.results();
    publisher = fleet.publisher();
    SecuritySettings security =
        new SecuritySettings(
            Map.of(
                "ops", new TrustedSigner("ops", OPS.getPublic(), Set.of(), List.of("*")),
                "narrow",
                    new TrustedSigner(
                        "narrow",
                        NARROW.getPublic(),
                        Set.of(Operation.BACKUP),
                        List.of("nothing_*"))),
            SignaturePolicy.DESTRUCTIVE,
            Duration.ofHours(1));
    fleet.startWorker(
        fleet.workerConfig(
            "worker-auth",
            t ->
                t.name().equals(guarded)
                    ? t.toBuilder().signaturePolicy(SignaturePolicy.ALL).build()
                    : t,
            security));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void an_unsigned_command_for_a_target_that_requires_signatures_is_rejected_as_unauthorized() {
    Command command = Commands.backup(guarded).build();
    publisher.publish(command).join();

    ResultEvent end = results.awaitTerminal(command.id());
    assertThat(end.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(end.data().error().code()).isEqualTo("UNAUTHORIZED");
    assertThat(end.data().error().message()).contains("needs a signature from a trusted signer");
  }

  @Test
  void a_command_signed_by_a_trusted_signer_runs() {
    Command command = shortLived(guarded);
    publisher.publish(command, new CommandSigner("ops", OPS.getPrivate())).join();

    assertThat(results.awaitTerminal(command.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void a_signature_made_with_another_key_under_a_trusted_id_is_rejected() {
    Command command = shortLived(guarded);
    publisher
        .publish(command, new CommandSigner("ops", Ed25519Keys.generate().getPrivate()))
        .join();

    assertRejected(command.id(), "the signature does not match the command");
  }

  @Test
  void an_old_signed_command_replayed_under_a_new_id_is_rejected() throws Exception {
    Command original = shortLived(guarded);
    ObjectNode event =
        (ObjectNode)
            Json.mapper()
                .readTree(
                    new CommandSigner("ops", OPS.getPrivate()).encode(original, fleet.topics));
    event.put("id", "replayed-" + original.id());

    fleet.sendRaw(fleet.topics.commands(guarded), Json.mapper().writeValueAsBytes(event));

    assertRejected("replayed-" + original.id(), "signed for another id");
  }

  @Test
  void a_signer_limited_to_other_targets_is_rejected() {
    Command command = shortLived(guarded);
    publisher.publish(command, new CommandSigner("narrow", NARROW.getPrivate())).join();

    assertRejected(command.id(), "signer 'narrow' may not ask for 'backup' on " + guarded);
  }

  @Test
  void an_unknown_signer_is_rejected() {
    Command command = shortLived(guarded);
    publisher.publish(command, new CommandSigner("mallory", OPS.getPrivate())).join();

    assertRejected(command.id(), "signer 'mallory' is not trusted");
  }

  @Test
  void a_required_signature_needs_a_short_expiry() {
    Command forever = Commands.backup(guarded).build();
    Command tooLong =
        Commands.backup(guarded).expiresAt(Instant.now().plus(Duration.ofDays(2))).build();
    CommandSigner ops = new CommandSigner("ops", OPS.getPrivate());
    publisher.publish(forever, ops).join();
    publisher.publish(tooLong, ops).join();

    assertRejected(forever.id(), "must carry expiresat");
    assertRejected(tooLong.id(), "may be valid for at most PT1H");
  }

  @Test
  void a_bad_signature_is_refused_even_where_none_is_required() {
    Command unsigned = Commands.backup(open).build();
    Command forged = shortLived(open);
    publisher.publish(unsigned).join();
    publisher.publish(forged, new CommandSigner("ops", NARROW.getPrivate())).join();

    assertThat(results.awaitTerminal(unsigned.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertRejected(forged.id(), "does not match");
  }

  @Test
  void a_destructive_restore_needs_a_signature_under_the_default_policy() {
    RestoreParams replace =
        new RestoreParams(null, RestoreParams.Mode.REPLACE, null, null, null, null, open);
    Command unsigned = Commands.of(Operation.RESTORE, open, replace).build();
    Command signed =
        Commands.of(Operation.RESTORE, open, replace)
            .expiresAt(Instant.now().plus(Duration.ofMinutes(30)))
            .build();
    publisher.publish(unsigned).join();
    publisher.publish(signed, new CommandSigner("ops", OPS.getPrivate())).join();

    assertRejected(unsigned.id(), "is destructive and needs a signature");
    ResultEvent end = results.awaitTerminal(signed.id());
    assertThat(end.data().error() == null ? "" : end.data().error().code())
        .isNotEqualTo("UNAUTHORIZED");
  }

  private static Command shortLived(String target) {
    return Commands.backup(target).expiresAt(Instant.now().plus(Duration.ofMinutes(30))).build();
  }

  private static void assertRejected(String commandId, String reason) {
    ResultEvent end = results.awaitTerminal(commandId);
    assertThat(end.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(end.data().error().code()).isEqualTo("UNAUTHORIZED");
    assertThat(end.data().error().message()).contains(reason);
  }
}
