package io.pgfleet.worker.intake;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.wire.Canonical;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.TrustedSigner;
import io.pgfleet.worker.procedure.Procedure;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a command's signature is good enough: required ones must come from a trusted
 * signer allowed for the operation and target, over exactly this command, with a short validity. A
 * signature that is present is always checked, required or not: a tampered command is refused.
 */
final class Authorization {
  private final SecuritySettings settings;

  Authorization(SecuritySettings settings) {
    this.settings = settings;
  }

  /**
   * Empty when authorized; otherwise why not.
   *
   * @param topic the topic the command arrived on: a signature covers it, so a command signed for
   *     one fleet (topic prefix) does not run in another
   */
  Optional<RunError> check(
      String topic, CommandCodec.Received received, TargetConfig target, Procedure procedure) {
    Command command = received.command();
    SignaturePolicy policy =
        target.signaturePolicy() != null ? target.signaturePolicy() : settings.signaturePolicy();
    boolean required =
        policy == SignaturePolicy.ALL
            || (policy == SignaturePolicy.DESTRUCTIVE && procedure.destructive(command, target));
    if (received.signature().isEmpty()) {
      return required
          ? deny(
              "'"
                  + command.operation().wireName()
                  + "' on "
                  + command.target()
                  + (policy == SignaturePolicy.ALL ? "" : " is destructive and")
                  + " needs a signature from a trusted signer: publish it with"
                  + " pgfleet submit --signer ID --sign-key FILE, or CommandPublisher.publish(command, signer)")
          : Optional.empty();
    }
    CommandCodec.Signed signed = received.signature().get();
    Optional<TrustedSigner> signer = settings.signer(signed.signer());
    if (signer.isEmpty()) {
      return deny("signer '" + signed.signer() + "' is not trusted by this worker");
    }
    if (!CommandSigner.verify(
        signer.get().publicKey(),
        Canonical.forTopic(topic, signed.content()),
        signed.signature())) {
      return deny(
          "the signature does not match the command: it was altered, or signed for another id,"
              + " target, parameters or fleet (topic "
              + topic
              + ")");
    }
    if (!signer.get().mayAsk(command.operation(), command.target())) {
      return deny(
          "signer '"
              + signed.signer()
              + "' may not ask for '"
              + command.operation().wireName()
              + "' on "
              + command.target());
    }
    if (required) {
      return checkValidity(command);
    }
    return Optional.empty();
  }

  private Optional<RunError> checkValidity(Command command) {
    if (command.expiresAt() == null) {
      return deny("a signed " + command.operation().wireName() + " must carry expiresat");
    }
    Duration validity = Duration.between(command.time(), command.expiresAt());
    if (validity.compareTo(settings.maxSignedValidity()) > 0) {
      return deny(
          "a signed command may be valid for at most "
              + settings.maxSignedValidity()
              + "; this one is valid for "
              + validity);
    }
    return Optional.empty();
  }

  private static Optional<RunError> deny(String message) {
    return Optional.of(RunError.of(ErrorCode.UNAUTHORIZED, message));
  }
}
