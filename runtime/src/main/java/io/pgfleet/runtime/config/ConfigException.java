package io.pgfleet.runtime.config;

/** The worker's configuration is unusable; the message says what to change. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
