package io.pgfleet.worker.procedure.health;

/**
 * The estimate of a btree index's bloat from the catalog alone: the pages its rows would fill at
 * its fillfactor, from {@code pg_class.reltuples} and the indexed columns' average width in {@code
 * pg_stats}, against the pages it has ({@code relpages}). The method is ioguix's
 * (https://github.com/ioguix/pgsql-bloat-estimation, btree/btree_bloat.sql, also in check_postgres
 * and postgres_dba), written anew here: an index tuple is an 8-byte header (with its null bitmap)
 * plus its data aligned to MAXALIGN, plus a 4-byte line pointer, on pages of {@code block_size}
 * less the 24-byte page header and the 16-byte btree special space. It reads no index page (unlike
 * pgstattuple's {@code pgstatindex}, exact but a full read of each index), so it costs a catalog
 * query; it is as fresh as the last VACUUM or ANALYZE, and off where statistics are missing (not
 * estimated) or for {@code name} columns, which pg_stats does not cover.
 */
final class BtreeBloatQuery {
  private BtreeBloatQuery() {}

  static final String SQL =
      """
      WITH idx AS (
        SELECT c.oid, i.indrelid, n.nspname, c.relname, t.relname AS tblname, c.reltuples,
               c.relpages,
               coalesce((SELECT substring(o FROM 'fillfactor=([0-9]+)')::int
                         FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 90) AS ff,
               current_setting('block_size')::numeric AS bs,
               CASE WHEN version() ~ '64-bit|x86_64|aarch64|amd64|ppc64|ia64|s390x'
                    THEN 8 ELSE 4 END AS align
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am am ON am.oid = c.relam
        WHERE am.amname = 'btree' AND i.indisvalid AND t.relkind IN ('r', 'm')
          AND t.relpersistence <> 't'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
      ), cols AS (
        SELECT x.oid,
               sum((1 - coalesce(s.null_frac, 0)) * s.avg_width) AS width,
               bool_or(s.attname IS NULL OR a.atttypid = 'pg_catalog.name'::regtype) AS unknown
        FROM idx x
        JOIN pg_attribute a ON a.attrelid = x.oid AND a.attnum > 0
        LEFT JOIN pg_stats s ON s.schemaname = x.nspname
          AND ((s.tablename = x.tblname AND s.attname = pg_get_indexdef(x.oid, a.attnum, true))
            OR (s.tablename = x.relname AND s.attname = a.attname))
        GROUP BY x.oid
      ), est AS (
        SELECT x.*, c.unknown,
               CASE WHEN c.unknown OR x.relpages = 0 OR x.reltuples < 0 THEN NULL
                    ELSE 1 + ceil(x.reltuples / floor((x.bs - 24 - 16) * x.ff / 100
                         / (4 + 8 + ceil(c.width / x.align) * x.align))) END AS pages
        FROM idx x JOIN cols c ON c.oid = x.oid
      )
      SELECT nspname || '.' || relname, tblname, quote_ident(nspname) || '.' || quote_ident(relname),
             pg_relation_size(oid),
             CASE WHEN pages IS NULL THEN NULL
                  ELSE (greatest(relpages - pages, 0) * bs)::bigint END AS bloat_bytes,
             CASE WHEN pages IS NULL THEN NULL
                  ELSE (100.0 * greatest(relpages - pages, 0) / relpages)::float8 END AS bloat_percent,
             nspname, relname, indrelid
      FROM est ORDER BY 4 DESC, 1
      """;
}
