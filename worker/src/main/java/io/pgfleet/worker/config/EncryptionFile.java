package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.Secret;
import java.util.Map;

/** The {@code encryption:} section as written. */
record EncryptionFile(String activeKeyId, Map<String, Secret> keys) {
  EncryptionKeys settings() {
    return new EncryptionKeys(activeKeyId, keys == null ? Map.of() : keys);
  }
}
