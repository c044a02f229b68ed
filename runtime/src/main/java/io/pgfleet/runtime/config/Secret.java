package io.pgfleet.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a credential comes from: an environment variable or a file (a mounted Kubernetes secret). A
 * secret is resolved only when a connection is made, and never printed.
 */
public sealed interface Secret {

  /** The secret's value, or a {@link ConfigException} saying which variable or file is missing. */
  String reveal();

  static Secret fromEnv(String variable) {
    return new FromEnv(variable);
  }

  static Secret fromFile(Path file) {
    return new FromFile(file);
  }

  /** A value held in memory: for the demo and tests, which generate their own passwords. */
  static Secret literal(String value) {
    return new Literal(value);
  }

  /** The secret read from an environment variable. */
  record FromEnv(String variable) implements Secret {
    @Override
    public String reveal() {
      String value = System.getenv(variable);
      if (value == null) {
        throw new ConfigException("environment variable " + variable + " is not set");
      }
      return value;
    }
  }

  /** The secret read from a file; a trailing newline is not part of it. */
  record FromFile(Path file) implements Secret {
    @Override
    public String reveal() {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
      } catch (IOException e) {
        throw new ConfigException("cannot read secret file " + file + ": " + e.getMessage());
      }
    }
  }

  /** A secret given in code. */
  record Literal(String value) implements Secret {
    @Override
    public String reveal() {
      return value;
    }

    @Override
    public String toString() {
      return "Literal[******]";
    }
  }
}
