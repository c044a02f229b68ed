package io.pgfleet.worker.archive;

import java.util.List;

/**
 * What reading a custom archive found.
 *
 * @param unread why the contents are not known (null when they are)
 * @param encoding the dump's client_encoding (UTF8 for most databases)
 * @param rowHash what each table's rows were hashed with
 * @param tocBytes bytes of the header and table of contents, before the first block
 * @param blocks every data block's dump id, in archive order (tables and large objects)
 */
public record ArchiveScan(
    String unread,
    String encoding,
    RowHash rowHash,
    long tocBytes,
    List<ArchivedTable> tables,
    List<Integer> blocks,
    long archiveBytes) {
  public boolean complete() {
    return unread == null;
  }
}
