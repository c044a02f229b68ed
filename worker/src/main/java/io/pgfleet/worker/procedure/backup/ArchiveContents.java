package io.pgfleet.worker.procedure.backup;

import io.pgfleet.worker.archive.ArchiveScan;
import io.pgfleet.worker.storage.Manifest;
import java.util.ArrayList;
import java.util.List;

/** What the manifest records of a custom archive read as it streamed. */
final class ArchiveContents {
  private ArchiveContents() {}

  static List<Manifest.TableCount> tables(ArchiveScan scan) {
    return scan.tables().stream()
        .map(
            t ->
                new Manifest.TableCount(
                    t.schema(),
                    t.table(),
                    t.content().rows(),
                    t.content().bytes(),
                    t.content().hash(),
                    t.dumpId()))
        .toList();
  }

  /**
   * The archive's encoding, and its stored pieces when they are one for the TOC and one per block
   * (the object is seekable); null when the archive was not read.
   */
  static Manifest.Archive archive(CustomDump.Streamed streamed) {
    ArchiveScan scan = streamed.scan();
    if (!scan.complete()) {
      return null;
    }
    List<Manifest.Piece> pieces = streamed.pieces();
    if (pieces.size() != scan.blocks().size() + 1) {
      return new Manifest.Archive(scan.encoding(), scan.rowHash().manifestName(), null, null);
    }
    List<Manifest.Piece> blocks = new ArrayList<>();
    for (int i = 0; i < scan.blocks().size(); i++) {
      Manifest.Piece p = pieces.get(i + 1);
      blocks.add(new Manifest.Piece(scan.blocks().get(i), p.offset(), p.length(), p.sha256()));
    }
    return new Manifest.Archive(
        scan.encoding(), scan.rowHash().manifestName(), pieces.get(0), blocks);
  }
}
