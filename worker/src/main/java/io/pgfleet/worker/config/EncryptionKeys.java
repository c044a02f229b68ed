package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.Secret;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Keys for client-side backup encryption: each a base64-encoded 256-bit key from a secret. New
 * encrypted backups use {@code activeKeyId}; restores find the key named in the manifest, so old
 * keys stay listed until no backup needs them.
 */
public record EncryptionKeys(String activeKeyId, Map<String, Secret> keys) {
  public static final EncryptionKeys NONE = new EncryptionKeys(null, Map.of());

  public EncryptionKeys {
    keys = Map.copyOf(keys);
    if (activeKeyId != null && !keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "encryption.activeKeyId '" + activeKeyId + "' is not among encryption.keys");
    }
  }

  /** The 32 key bytes of {@code id}, if this worker has that key. */
  public Optional<byte[]> key(String id) {
    Secret secret = keys.get(id);
    if (secret == null) {
      return Optional.empty();
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.reveal().trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("encryption key '" + id + "' is not valid base64");
    }
    if (key.length != 32) {
      throw new ConfigException(
          "encryption key '" + id + "' must be 32 bytes (base64 of `openssl rand 32`)");
    }
    return Optional.of(key);
  }
}
