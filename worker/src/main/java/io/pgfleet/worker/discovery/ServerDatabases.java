package io.pgfleet.worker.discovery;

import io.pgfleet.commands.Printable;
import io.pgfleet.commands.TargetName;
import io.pgfleet.worker.config.DatabaseGlobs;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The databases of one discovery source's server that are to be served as targets. */
final class ServerDatabases {
  private static final Logger log = LoggerFactory.getLogger(ServerDatabases.class);
  static final String LIST =
      "SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname";

  private final DiscoverySource source;
  private final DatabaseGlobs globs;
  private Set<String> unservable = Set.of();

  ServerDatabases(DiscoverySource source) {
    this.source = source;
    this.globs = new DatabaseGlobs(source.include(), source.exclude());
  }

  /** Reads the server's databases now: the target of each one selected. */
  Map<String, TargetConfig> read() throws ProcedureFailure, SQLException {
    List<String> databases = new ArrayList<>();
    try (Connection c = new TargetDatabase(source.template()).connect("discovery");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(LIST)) {
      while (rs.next()) {
        databases.add(rs.getString(1));
      }
    }
    return select(databases);
  }

  /**
   * The targets among {@code databases}: selected by the globs, never the maintenance database; a
   * selected name that cannot be a target name is left out with a warning (once while it lasts).
   */
  Map<String, TargetConfig> select(List<String> databases) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    Set<String> invalid = new HashSet<>();
    for (String database : databases) {
      if (database.equals(source.maintenanceDatabase()) || !globs.selects(database)) {
        continue;
      }
      if (TargetName.isValid(database)) {
        targets.put(database, source.targetFor(database));
      } else {
        invalid.add(database);
        if (!unservable.contains(database)) {
          log.warn(
              "discovery {}: database {} matches but is not served: a target name has 1-63"
                  + " letters, digits, '_' or '-' (rename it, or exclude it to silence this)",
              source.name(),
              Printable.quote(database));
        }
      }
    }
    unservable = Set.copyOf(invalid);
    return targets;
  }

  /** Databases selected at the last read whose names cannot be target names. */
  Set<String> unservable() {
    return unservable;
  }
}
