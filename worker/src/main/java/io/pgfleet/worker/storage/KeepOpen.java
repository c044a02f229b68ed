package io.pgfleet.worker.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Lets the encoding streams around an upload (zstd, encryption) close without closing (and so
 * aborting) the upload, which the caller then completes or aborts.
 */
public final class KeepOpen extends FilterOutputStream {
  public KeepOpen(OutputStream out) {
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
