package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * The content ({@link TableDigest}) of the rows a {@code COPY ... TO STDOUT} prints, hashed as they
 * stream from the server: nothing of the table is held in memory.
 */
final class CopyDigest {
  private CopyDigest() {}

  /** The content of the rows {@code where} selects (a part of the pages, or all). */
  static TableDigest.Content of(Connection c, CopiedTable r, String where, RowHash rowHash)
      throws SQLException {
    TableDigest digest = new TableDigest(rowHash);
    String sql = "COPY (SELECT " + r.columns() + " FROM ONLY " + r.name() + where + ") TO STDOUT";
    try {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              sql,
              new OutputStream() {
                @Override
                public void write(int b) {
                  write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  digest.update(b, off, len);
                }
              });
    } catch (IOException e) {
      throw new SQLException("reading " + r.name() + " failed: " + e.getMessage(), e);
    }
    return digest.result(); // the transaction stays open: another part may still take its snapshot
  }
}
