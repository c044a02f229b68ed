package io.pgfleet.worker.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The backup catalog in the ledger ({@code pgfleet.artifacts}): every complete artifact a run
 * produced, when a restore drill proved it, and when retention deleted it.
 */
public final class BackupCatalog {
  private static final String COLUMNS =
      "uri, manifest_uri, command_id, target, kind, bytes, sha256, created_at, verified_at,"
          + " verified_by, pruned_at, pruned_by";

  private final DataSource dataSource;

  public BackupCatalog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One cataloged artifact. {@code id} is the command id of the backup that made it. */
  public record Entry(
      String uri,
      String manifestUri,
      String id,
      String target,
      String kind,
      long bytes,
      String sha256,
      Instant createdAt,
      Instant verifiedAt,
      String verifiedBy,
      Instant prunedAt,
      String prunedBy) {
    public boolean present() {
      return prunedAt == null;
    }
  }

  /** The newest artifact of {@code kind} of the target that retention has not deleted. */
  public Optional<Entry> latest(String target, String kind) {
    List<Entry> found =
        query(
            "WHERE target = ? AND kind = ? AND pruned_at IS NULL"
                + " ORDER BY created_at DESC, uri DESC LIMIT 1",
            target,
            kind);
    return found.stream().findFirst();
  }

  /** Artifacts of a target (or of every target when null), newest first; pruned ones on request. */
  public List<Entry> list(String target, boolean includePruned) {
    String where = includePruned ? "WHERE true" : "WHERE pruned_at IS NULL";
    if (target == null) {
      return query(where + " ORDER BY created_at DESC, uri DESC");
    }
    return query(where + " AND target = ? ORDER BY created_at DESC, uri DESC", target);
  }

  /** An artifact by its backup's command id or by its URI. */
  public Optional<Entry> find(String idOrUri) {
    return query("WHERE command_id = ? OR uri = ? ORDER BY created_at DESC", idOrUri, idOrUri)
        .stream()
        .findFirst();
  }

  private static final String VERIFIED =
      "UPDATE pgfleet.artifacts SET verified_at = now(), verified_by = ? WHERE uri = ?";
  private static final String PRUNED =
      "UPDATE pgfleet.artifacts SET pruned_at = now(), pruned_by = ?"
          + " WHERE uri = ? AND pruned_at IS NULL";

  /** Applies a change a run's result asked for, in the transaction of its terminal write. */
  static void apply(Connection c, CatalogChange change, String commandId) throws SQLException {
    String sql =
        switch (change.kind()) {
          case VERIFIED -> VERIFIED;
          case PRUNED -> PRUNED;
        };
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, commandId);
      ps.setString(2, change.uri());
      ps.executeUpdate();
    }
  }

  private List<Entry> query(String tail, String... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM pgfleet.artifacts " + tail)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new Entry(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getString(7),
                  instant(rs.getTimestamp(8)),
                  instant(rs.getTimestamp(9)),
                  rs.getString(10),
                  instant(rs.getTimestamp(11)),
                  rs.getString(12)));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw new LedgerException("cannot read the backup catalog", e);
    }
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
