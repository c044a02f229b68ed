package io.pgfleet.commands;

import java.util.List;
import java.util.Locale;

/**
 * Parameters of a restore from a logical backup.
 *
 * @param artifact {@code latest} (default) or the artifact's s3 URI
 * @param mode where the backup goes
 * @param database for {@code new-database}: the database to create (must not exist)
 * @param tables for {@code tables}: {@code table} or {@code schema.table} names
 * @param dataOnly for {@code tables}: restore rows into existing, empty tables instead of creating
 *     the tables
 * @param truncate for {@code tables} with {@code dataOnly}: empty the tables first (destructive)
 * @param confirm the target's name, required by destructive restores
 * @param sourceTarget restore a backup of this other target (e.g. production into staging) with the
 *     destination target's own credentials; new-database or replace only, always destructive; the
 *     destination's worker config must list it in {@code restore.allowedSources}
 */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
public record RestoreParams(
    String artifact,
    Mode mode,
    String database,
    List<String> tables,
    Boolean dataOnly,
    Boolean truncate,
    String confirm,
    String sourceTarget)
    implements OperationParams {

  /** The three ways the runbooks restore. */
  public enum Mode {
    NEW_DATABASE,
    REPLACE,
    TABLES;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Mode fromWireName(String name) {
      for (Mode m : values()) {
        if (m.wireName().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "mode must be new-database, replace or tables, not " + Printable.quote(name));
    }
  }

  public RestoreParams {
    artifact = ArtifactSelector.require(artifact);
    if (mode == null) {
      throw new IllegalArgumentException("mode is required: new-database, replace or tables");
    }
    tables = tables == null ? List.of() : List.copyOf(tables);
    dataOnly = dataOnly != null && dataOnly;
    truncate = truncate != null && truncate;
    if (mode == Mode.TABLES && tables.isEmpty()) {
      throw new IllegalArgumentException("mode tables needs at least one table in 'tables'");
    }
    if (mode != Mode.TABLES && (!tables.isEmpty() || dataOnly || truncate)) {
      throw new IllegalArgumentException("tables, dataOnly and truncate apply to mode tables only");
    }
    if (truncate && !dataOnly) {
      throw new IllegalArgumentException("truncate applies to dataOnly restores only");
    }
    if (mode != Mode.NEW_DATABASE && database != null) {
      throw new IllegalArgumentException("database applies to mode new-database only");
    }
    if (sourceTarget != null && mode == Mode.TABLES) {
      throw new IllegalArgumentException("sourceTarget applies to new-database and replace only");
    }
  }

  /** A restore of the target's own backup. */
  public RestoreParams(
      String artifact,
      Mode mode,
      String database,
      List<String> tables,
      Boolean dataOnly,
      Boolean truncate,
      String confirm) {
    this(artifact, mode, database, tables, dataOnly, truncate, confirm, null);
  }

  /** Whether the restore overwrites existing data, and so needs permission and confirmation. */
  public boolean destructive() {
    return mode == Mode.REPLACE || truncate || sourceTarget != null;
  }
}
