package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reading of {@link BtreeBloatQuery} and the one judging of its rows, shared by the health
 * check {@code index-bloat} and {@code reindex bloated: true}: what one flags, the other rebuilds.
 */
public final class IndexBloatEstimate {
  private IndexBloatEstimate() {}

  /** Every valid btree index of the database, largest first. */
  public static List<EstimatedIndex> of(Connection c, MaintenanceSettings settings)
      throws SQLException {
    List<EstimatedIndex> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(BtreeBloatQuery.SQL)) {
      while (rs.next()) {
        Long bloatBytes = rs.getObject(5, Long.class);
        Double percent = rs.getObject(6, Double.class);
        out.add(
            new EstimatedIndex(
                rs.getString(1),
                rs.getString(7),
                rs.getString(8),
                rs.getString(3),
                rs.getString(2),
                rs.getLong(9),
                rs.getLong(4),
                bloatBytes,
                percent,
                bloatBytes == null ? Status.OK : status(settings, percent, bloatBytes)));
      }
    }
    return out;
  }

  /** The lower of the two levels: both the share and the wasted bytes must reach it. */
  private static Status status(MaintenanceSettings settings, double percent, long bloatBytes) {
    Status byShare = Probe.judge(settings.limit(HealthLimit.INDEX_BLOAT), percent);
    Status byBytes = Probe.judge(settings.limit(HealthLimit.INDEX_BLOAT_BYTES), bloatBytes);
    return byShare.worst(byBytes) == byShare ? byBytes : byShare;
  }
}
