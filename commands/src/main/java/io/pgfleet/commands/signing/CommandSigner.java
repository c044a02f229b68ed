package io.pgfleet.commands.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.wire.Canonical;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.commands.wire.Topics;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs commands for workers that require a signature (destructive operations by default). The
 * signature covers the whole command (id, target, operation, parameters, time, expiry) and the
 * topic it is published to (so the fleet's topic prefix), so it cannot be reused for another id,
 * another target or another fleet.
 *
 * <p>Two CloudEvents extension attributes carry it: {@code signer}, the key id the workers know the
 * public key by, and {@code signature}, Ed25519 over {@link Canonical} in base64.
 */
public final class CommandSigner {
  public static final String SIGNER = "signer";

  private final String signerId;
  private final PrivateKey key;
  private final CommandCodec codec = new CommandCodec();

  public CommandSigner(String signerId, PrivateKey key) {
    if (!TargetName.isValid(signerId)) {
      throw new IllegalArgumentException("signer ids use letters, digits, '_' or '-'");
    }
    this.signerId = signerId;
    this.key = key;
  }

  /** The command as a signed CloudEvent, ready to publish to its topic in this fleet. */
  public byte[] encode(Command command, Topics topics) {
    try {
      ObjectNode event = (ObjectNode) Json.mapper().readTree(codec.encode(command));
      event.put(SIGNER, signerId);
      event.put(
          Canonical.SIGNATURE,
          sign(Canonical.forTopic(topics.commands(command.target()), Canonical.of(event))));
      return Json.mapper().writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot sign command " + command.id(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String sign(byte[] content) {
    try {
      Signature ed = Signature.getInstance("Ed25519");
      ed.initSign(key);
      ed.update(content);
      return Base64.getEncoder().encodeToString(ed.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /** Checks an Ed25519 signature; false for a malformed one as much as for a wrong one. */
  public static boolean verify(
      java.security.PublicKey publicKey, byte[] content, String signatureBase64) {
    try {
      Signature ed = Signature.getInstance("Ed25519");
      ed.initVerify(publicKey);
      ed.update(content);
      return ed.verify(Base64.getDecoder().decode(signatureBase64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
