package io.pgfleet.worker.archive;

import java.io.IOException;

/** Told when the archive reaches a block start and when it ends, after all bytes before it. */
public interface ArchiveCuts {
  void cut(long archiveOffset) throws IOException;

  ArchiveCuts NONE = offset -> {};
}
