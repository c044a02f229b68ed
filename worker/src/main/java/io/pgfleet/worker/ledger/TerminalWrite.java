package io.pgfleet.worker.ledger;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** A run's terminal state, its result event and its artifacts, in one transaction. */
final class TerminalWrite {
  private static final String FINISH =
      """
      UPDATE pgfleet.runs
      SET state = ?, finished_at = now(), lease_expires_at = NULL,
          error_code = ?, error_message = ?, report = ?::jsonb, result_event = ?
      WHERE command_id = ? AND attempt = ? AND state = ANY (?)
      """;
  private static final String ADD_ARTIFACT =
      """
      INSERT INTO pgfleet.artifacts (uri, manifest_uri, command_id, target, kind, bytes, sha256)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (uri) DO UPDATE SET manifest_uri = EXCLUDED.manifest_uri,
        command_id = EXCLUDED.command_id, bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256,
        created_at = now(), verified_at = NULL, verified_by = NULL, pruned_at = NULL,
        pruned_by = NULL
      """;

  private TerminalWrite() {}

  /**
   * Moves the run to its terminal state and catalogs its artifacts, atomically. The result event is
   * stored with it until {@link Ledger#markPublished} confirms Kafka has it.
   *
   * @throws LeaseLostException when another attempt took the command over: nothing is written
   */
  static void finish(
      DataSource dataSource,
      Lease lease,
      RunState state,
      RunError error,
      String reportJson,
      byte[] resultEvent,
      List<Artifact> artifacts,
      List<CatalogChange> catalog) {
    // The lease holder's run is running: the transition table decides whether it may become
    // `state`, and the update only matches a run still in a state the table allows it from (and
    // still this attempt's): the lease fence.
    RunState.RUNNING.require(state);
    if (!state.isTerminal()) {
      throw new IllegalArgumentException(
          "a run finishes in a terminal state, not " + state.sqlName());
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement(FINISH)) {
          ps.setString(1, state.sqlName());
          ps.setString(2, error == null ? null : error.code());
          ps.setString(3, error == null ? null : error.message());
          ps.setString(4, reportJson);
          ps.setBytes(5, resultEvent);
          ps.setString(6, lease.commandId());
          ps.setInt(7, lease.attempt());
          ps.setArray(8, c.createArrayOf("text", RunState.sqlNamesBefore(state)));
          if (ps.executeUpdate() != 1) {
            c.rollback();
            throw new LeaseLostException(lease);
          }
        }
        for (Artifact artifact : artifacts) {
          addArtifact(c, lease, artifact);
        }
        for (CatalogChange change : catalog) {
          BackupCatalog.apply(c, change, lease.commandId());
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LedgerException("cannot finish run " + lease.commandId(), e);
    }
  }

  private static void addArtifact(Connection c, Lease lease, Artifact a) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ADD_ARTIFACT)) {
      ps.setString(1, a.uri());
      ps.setString(2, a.manifestUri());
      ps.setString(3, lease.commandId());
      ps.setString(4, lease.target());
      ps.setString(5, a.kind());
      ps.setLong(6, a.bytes());
      ps.setString(7, a.sha256());
      ps.executeUpdate();
    }
  }
}
