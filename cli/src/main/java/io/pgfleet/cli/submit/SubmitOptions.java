package io.pgfleet.cli.submit;

import io.pgfleet.cli.client.KafkaOptions;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every operation shares. */
public final class SubmitOptions {
  /** The subcommand these options belong to, to refuse its arguments as a usage error. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = {"-t", "--target"},
      required = true,
      description = "The target's logical name, e.g. order_db")
  String target;

  @Option(names = "--id", description = "Command id (the idempotency key); default: a random UUID")
  String id;

  @Option(
      names = "--source",
      defaultValue = "urn:pgfleet:cli:${sys:user.name}",
      description = "Who asks (default: ${DEFAULT-VALUE})")
  String source;

  @Option(
      names = "--expires-in",
      description = "Not started within this time: expired, not executed (e.g. 3h)")
  Duration expiresIn;

  @Option(
      names = {"-w", "--wait"},
      description = "Wait for the result; exit 0 only if the run succeeded")
  boolean waitForResult;

  @Option(
      names = "--timeout",
      defaultValue = "1h",
      description = "How long --wait waits (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--signer", description = "Signer id, for workers that require a signature")
  String signer;

  @Option(names = "--sign-key", description = "Ed25519 private key file (pgfleet keys generate)")
  java.nio.file.Path signKey;

  @Mixin KafkaOptions kafka;

  /** Both or neither: checked before anything connects. */
  void requireSignerWithKey() {
    if ((signer == null) != (signKey == null)) {
      throw new IllegalArgumentException("--signer and --sign-key go together");
    }
  }

  java.util.Optional<CommandSigner> commandSigner() throws java.io.IOException {
    requireSignerWithKey();
    if (signer == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new CommandSigner(signer, Ed25519Keys.privateKey(java.nio.file.Files.readString(signKey))));
  }
}
