package io.pgfleet.commands;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The maintenance operations of wire contract v1. Each has a command type {@code
 * io.pgfleet.command.<wireName>.v1}, a schema {@code commands/<wireName>.schema.json} for its
 * {@code data}, and a record for its parameters.
 */
public enum Operation {
  BACKUP("backup", BackupParams.class),
  VERIFY_BACKUP("verify-backup", VerifyBackupParams.class),
  RESTORE("restore", RestoreParams.class),
  PRUNE_BACKUPS("prune-backups", PruneBackupsParams.class),
  VACUUM("vacuum", VacuumParams.class),
  ANALYZE("analyze", AnalyzeParams.class),
  REINDEX("reindex", ReindexParams.class),
  HEALTH_CHECK("health-check", HealthCheckParams.class),
  TERMINATE_BACKENDS("terminate-backends", TerminateBackendsParams.class),
  PURGE("purge", PurgeParams.class),
  BASE_BACKUP("base-backup", BaseBackupParams.class),
  RESTORE_PITR("restore-pitr", RestorePitrParams.class),
  CHECK_INTEGRITY("check-integrity", CheckIntegrityParams.class),
  REPACK("repack", RepackParams.class),
  RESET_STATEMENT_STATS("reset-statement-stats", ResetStatementStatsParams.class),
  VERIFY_BASE_BACKUP("verify-base-backup", VerifyBaseBackupParams.class);

  private static final String TYPE_PREFIX = "io.pgfleet.command.";
  private static final String TYPE_SUFFIX = ".v1";
  private static final java.util.regex.Pattern WIRE_NAME =
      java.util.regex.Pattern.compile("[a-z][a-z-]{0,39}");

  /** Looked up for every command the worker reads. */
  private static final Map<String, Operation> BY_WIRE_NAME = new HashMap<>();

  static {
    for (Operation o : values()) {
      BY_WIRE_NAME.put(o.wireName, o);
    }
  }

  private final String wireName;
  private final Class<? extends OperationParams> paramsType;

  Operation(String wireName, Class<? extends OperationParams> paramsType) {
    this.wireName = wireName;
    this.paramsType = paramsType;
  }

  public String wireName() {
    return wireName;
  }

  public Class<? extends OperationParams> paramsType() {
    return paramsType;
  }

  public String commandType() {
    return TYPE_PREFIX + wireName + TYPE_SUFFIX;
  }

  public String dataSchemaPath() {
    return "commands/" + wireName + ".schema.json";
  }

  public static Optional<Operation> fromWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name)); // a HashMap: no name (null) finds none
  }

  /** The operation named by a command type, or empty for a type this version does not know. */
  public static Optional<Operation> fromCommandType(String type) {
    if (type == null || !type.startsWith(TYPE_PREFIX) || !type.endsWith(TYPE_SUFFIX)) {
      return Optional.empty();
    }
    return fromWireName(type.substring(TYPE_PREFIX.length(), type.length() - TYPE_SUFFIX.length()));
  }

  /** The operation part of a command type, for error messages about types this version lacks. */
  public static Optional<String> wireNameOf(String type) {
    if (type == null || !type.startsWith(TYPE_PREFIX) || !type.endsWith(TYPE_SUFFIX)) {
      return Optional.empty();
    }
    String name = type.substring(TYPE_PREFIX.length(), type.length() - TYPE_SUFFIX.length());
    return WIRE_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }

  public static String knownWireNames() {
    return Arrays.stream(values()).map(Operation::wireName).collect(Collectors.joining(", "));
  }
}
