package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reads {@code <spool>/cluster}: a system identifier and nothing else. A file pgfleet did not write
 * is refused, and the start of it shown escaped, never as raw bytes.
 */
final class ClusterFile {
  private static final int SHOWN = 32;

  private ClusterFile() {}

  /**
   * The identifier in {@code file}; anything but a regular file is refused unopened (a FIFO would
   * block the read), and a file holding anything else is refused, shown escaped.
   */
  static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConfigException(
          file
              + " is not a regular file (a symbolic link, a FIFO or a directory): pgfleet writes"
              + " a plain file there; if no agent of another cluster uses this spool, remove it"
              + " and start again");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SHOWN + 1);
    }
    String text = new String(head, StandardCharsets.US_ASCII).strip();
    if (head.length <= SHOWN && text.matches("[0-9]{1,20}")) {
      return text;
    }
    throw new ConfigException(
        file
            + " holds no system identifier (it starts \""
            + printable(head)
            + "\", "
            + Files.size(file)
            + " bytes); pgfleet did not write it: if no agent of another cluster uses this"
            + " spool, remove the file and start again");
  }

  /** Up to {@link #SHOWN} bytes as printable ASCII, anything else as {@code \xNN}. */
  static String printable(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, SHOWN); i++) {
      int b = bytes[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\' && b != '"') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    return bytes.length > SHOWN ? out + "..." : out.toString();
  }
}
