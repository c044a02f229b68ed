package io.pgfleet.worker.procedure.basebackup;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a tar stream byte for byte and keeps the content of one member on the way: pg_basebackup
 * writing a tar to stdout puts its {@code backup_manifest} into the archive, and the backup needs
 * it (WAL range, checksums) without a second read of the archive.
 */
final class TarManifestTap {
  private static final int BLOCK = 512;

  private TarManifestTap() {}

  /** Copies {@code in} to {@code out} until its end; returns the member's bytes, or null. */
  static byte[] copy(InputStream in, OutputStream out, String member) throws IOException {
    byte[] header = new byte[BLOCK];
    byte[] kept = null;
    while (readBlock(in, header)) {
      out.write(header);
      if (isZero(header)) {
        in.transferTo(out); // the end-of-archive blocks and any padding
        return kept;
      }
      long size = size(header);
      boolean wanted = name(header).equals(member);
      ByteArrayOutputStream content = wanted ? new ByteArrayOutputStream() : null;
      long left = (size + BLOCK - 1) / BLOCK * BLOCK;
      long dataLeft = size;
      byte[] buffer = new byte[64 * BLOCK];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("the tar stream ended inside member " + name(header));
        }
        out.write(buffer, 0, n);
        if (content != null && dataLeft > 0) {
          content.write(buffer, 0, (int) Math.min(n, dataLeft));
        }
        dataLeft -= n;
        left -= n;
      }
      if (content != null) {
        kept = content.toByteArray();
      }
    }
    return kept;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int filled = 0;
    while (filled < BLOCK) {
      int n = in.read(block, filled, BLOCK - filled);
      if (n < 0) {
        if (filled == 0) {
          return false;
        }
        throw new EOFException("the tar stream ended inside a header");
      }
      filled += n;
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static String name(byte[] header) {
    String name = text(header, 0, 100);
    String prefix = text(header, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The member's size: octal text, or base-256 (high bit set) for members of 8 GiB and more. */
  static long size(byte[] header) {
    if ((header[124] & 0x80) != 0) {
      long size = 0;
      for (int i = 125; i < 136; i++) {
        size = (size << 8) | (header[i] & 0xFF);
      }
      return size;
    }
    String octal = text(header, 124, 12).trim();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
