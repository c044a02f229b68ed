package io.pgfleet.worker.procedure.basebackup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets the zstd stream close without closing (and so aborting) the upload. */
final class KeepOpen extends FilterOutputStream {
  KeepOpen(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
