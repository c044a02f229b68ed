package io.pgfleet.worker.procedure.restore;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * An output stream onto a locked {@link PartFiles} channel that leaves the channel open when
 * closed: closing the channel, or any other descriptor of the file, would drop its fcntl lock.
 */
final class LockKeepingOutput {
  private LockKeepingOutput() {}

  static OutputStream of(FileChannel channel) {
    return new FilterOutputStream(Channels.newOutputStream(channel)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush(); // the channel stays open, and with it the lock
      }
    };
  }
}
