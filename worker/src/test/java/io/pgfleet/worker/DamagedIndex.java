package io.pgfleet.worker;

/**
 * A btree index pg_amcheck reports corrupt, made without touching files: it is built with a
 * comparison that is then reversed, so its pages are out of order, as a corrupt btree's would be.
 * The table {@code zz_damaged} (1000 rows) sorts after the sample tables.
 */
final class DamagedIndex {
  static final String TABLE = "zz_damaged";
  static final String INDEX = "zz_damaged_i";

  private DamagedIndex() {}

  static void create(TargetSessions db) {
    db.execute(
        "CREATE FUNCTION rb_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS"
            + " 'SELECT CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END';"
            + " CREATE OPERATOR CLASS rb_ops FOR TYPE int USING btree AS OPERATOR 1 <,"
            + " OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 rb_cmp(int, int);"
            + " CREATE TABLE zz_damaged (i int);"
            + " INSERT INTO zz_damaged SELECT generate_series(1, 1000);"
            + " CREATE INDEX zz_damaged_i ON zz_damaged (i rb_ops);"
            + " CREATE OR REPLACE FUNCTION rb_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS"
            + " 'SELECT CASE WHEN $1 < $2 THEN 1 WHEN $1 > $2 THEN -1 ELSE 0 END'");
  }

  /** amcheck in the database, its functions callable by the target's (owner) user. */
  static void allowAmcheck(TargetSessions db) {
    db.execute("CREATE EXTENSION IF NOT EXISTS amcheck");
    grantAmcheck(db);
  }

  static void grantAmcheck(TargetSessions db) {
    db.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO " + db.owner());
  }
}
