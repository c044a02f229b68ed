package io.pgfleet.commands;

/**
 * Parameters of a REINDEX of exactly one scope: an index, a table's indexes, the database, or the
 * indexes the health check's bloat estimate flags.
 *
 * @param index {@code index} or {@code schema.index}
 * @param table {@code table} or {@code schema.table}
 * @param database true to rebuild every index of the database
 * @param bloated true to rebuild, one statement each, only the btree indexes the {@code
 *     index-bloat} estimate flags past the target's thresholds
 * @param concurrently rebuild without blocking writes (default true); false also needs the target's
 *     config to allow blocking rebuilds
 * @param dropInvalid drop the invalid {@code _ccnew}/{@code _ccold} leftovers of failed concurrent
 *     rebuilds first, and retry a rebuild that fails once (default false)
 * @param dryRun only list what would be rebuilt, rebuild nothing (default false)
 */
public record ReindexParams(
    String index,
    String table,
    Boolean database,
    Boolean bloated,
    Boolean concurrently,
    Boolean dropInvalid,
    Boolean dryRun)
    implements OperationParams {
  public ReindexParams {
    database = database != null && database;
    bloated = bloated != null && bloated;
    concurrently = concurrently == null || concurrently;
    dropInvalid = dropInvalid != null && dropInvalid;
    dryRun = dryRun != null && dryRun;
    int scopes =
        (index == null ? 0 : 1) + (table == null ? 0 : 1) + (database ? 1 : 0) + (bloated ? 1 : 0);
    if (scopes != 1) {
      throw new IllegalArgumentException(
          "give exactly one of index, table or database: true, or bloated: true (got "
              + scopes
              + ")");
    }
  }

  public ReindexParams(
      String index, String table, Boolean database, Boolean concurrently, Boolean dropInvalid) {
    this(index, table, database, null, concurrently, dropInvalid, null);
  }

  public static ReindexParams index(String name) {
    return new ReindexParams(name, null, null, null, null);
  }

  public static ReindexParams table(String name) {
    return new ReindexParams(null, name, null, null, null);
  }

  public static ReindexParams wholeDatabase() {
    return new ReindexParams(null, null, true, null, null);
  }

  /** The indexes {@code index-bloat} flags, each rebuilt concurrently. */
  public static ReindexParams bloatedIndexes(boolean dryRun) {
    return new ReindexParams(null, null, null, true, null, null, dryRun);
  }
}
