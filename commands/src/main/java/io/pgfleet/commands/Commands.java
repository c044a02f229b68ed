package io.pgfleet.commands;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds commands with sensible defaults: a random id, the current time. */
public final class Commands {
  private Commands() {}

  public static Builder backup(String target) {
    return new Builder(Operation.BACKUP, target, BackupParams.defaults());
  }

  /** A purge of {@code target} by the policy of that name in the target's worker config. */
  public static Builder purge(String target, String policy) {
    return new Builder(Operation.PURGE, target, new PurgeParams(policy));
  }

  public static Builder of(Operation operation, String target, OperationParams params) {
    return new Builder(operation, target, params);
  }

  /** Fluent builder; {@link #build()} validates through the {@link Command} record. */
  public static final class Builder {
    private final Operation operation;
    private final String target;
    private OperationParams params;
    private String id = UUID.randomUUID().toString();
    private String source = "urn:pgfleet:client";
    private Clock clock = Clock.systemUTC();
    private Instant expiresAt;

    private Builder(Operation operation, String target, OperationParams params) {
      this.operation = operation;
      this.target = target;
      this.params = params;
    }

    public Builder id(String value) {
      id = value;
      return this;
    }

    public Builder source(String value) {
      source = value;
      return this;
    }

    public Builder params(OperationParams value) {
      params = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      expiresAt = value;
      return this;
    }

    public Command build() {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      return new Command(id, source, operation, target, now, expiresAt, params);
    }
  }
}
