package io.pgfleet.commands;

/**
 * Parameters of a REINDEX of exactly one scope: an index, a table's indexes, or the database.
 *
 * @param index {@code index} or {@code schema.index}
 * @param table {@code table} or {@code schema.table}
 * @param database true to rebuild every index of the database
 * @param concurrently rebuild without blocking writes (default true); false also needs the target's
 *     config to allow blocking rebuilds
 * @param dropInvalid drop the invalid {@code _ccnew}/{@code _ccold} leftovers of failed concurrent
 *     rebuilds first, and retry a rebuild that fails once (default false)
 */
public record ReindexParams(
    String index, String table, Boolean database, Boolean concurrently, Boolean dropInvalid)
    implements OperationParams {
  public ReindexParams {
    database = database != null && database;
    concurrently = concurrently == null || concurrently;
    dropInvalid = dropInvalid != null && dropInvalid;
    int scopes = (index == null ? 0 : 1) + (table == null ? 0 : 1) + (database ? 1 : 0);
    if (scopes != 1) {
      throw new IllegalArgumentException(
          "give exactly one of index, table or database: true (got " + scopes + ")");
    }
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
}
