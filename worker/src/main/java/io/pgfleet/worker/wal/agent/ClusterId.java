package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster's database system identifier (what {@code pg_controldata} prints), read
 * without a connection: the first field of {@code global/pg_control} in the data directory beside
 * {@code pg_wal}, or else the long header that starts every WAL segment. WAL file names repeat
 * across clusters; this number does not.
 */
final class ClusterId {
  private static final int LONG_HEADER = 0x0002; // XLP_LONG_HEADER in xlp_info
  private static final int SYSID_IN_SEGMENT = 24; // xlp_sysid in XLogLongPageHeaderData

  private ClusterId() {}

  /** The identifier of the cluster whose WAL directory is {@code pgWal}, given as --pg-wal. */
  static String of(Path pgWal) {
    return of(pgWal, "--pg-wal " + pgWal);
  }

  /**
   * The identifier of the cluster whose WAL directory is {@code pgWal}; {@code pgWalShown} is how a
   * failure names it to the caller's user.
   */
  static String of(Path pgWal, String pgWalShown) {
    Path control = pgWal.toAbsolutePath().getParent().resolve("global").resolve("pg_control");
    return fromControlFile(control)
        .or(() -> fromSegments(pgWal))
        .orElseThrow(
            () ->
                new ConfigException(
                    "cannot tell which PostgreSQL cluster "
                        + pgWalShown
                        + " belongs to: neither "
                        + control
                        + " nor a WAL segment in it can be read"));
  }

  static Optional<String> fromControlFile(Path control) {
    byte[] head = head(control, 8);
    return head.length < 8 ? Optional.empty() : nonZero(order(head).getLong(0));
  }

  static Optional<String> fromSegments(Path pgWal) {
    List<Path> segments;
    try (Stream<Path> files = Files.list(pgWal)) {
      segments =
          files.filter(f -> f.getFileName().toString().matches("[0-9A-F]{24}")).sorted().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (Path segment : segments) {
      byte[] head = head(segment, SYSID_IN_SEGMENT + 8);
      if (head.length == SYSID_IN_SEGMENT + 8) {
        ByteBuffer header = order(head);
        boolean longHeader = header.getShort(0) != 0 && (header.getShort(2) & LONG_HEADER) != 0;
        Optional<String> id =
            longHeader ? nonZero(header.getLong(SYSID_IN_SEGMENT)) : Optional.empty();
        if (id.isPresent()) {
          return id;
        }
      }
    }
    return Optional.empty(); // only segments not written yet (zero-filled ahead of use)
  }

  private static byte[] head(Path file, int bytes) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(bytes);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static ByteBuffer order(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  private static Optional<String> nonZero(long id) {
    return id == 0 ? Optional.empty() : Optional.of(Long.toUnsignedString(id));
  }
}
