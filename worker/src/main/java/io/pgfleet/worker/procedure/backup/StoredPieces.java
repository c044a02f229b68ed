package io.pgfleet.worker.procedure.backup;

import io.pgfleet.worker.storage.Manifest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Counts and hashes the stored bytes on their way to the upload, piece by piece: {@link #mark()}
 * ends the current piece. The pieces are the ranges a later restore can read and check on their
 * own.
 */
final class StoredPieces extends FilterOutputStream {
  private final List<Manifest.Piece> pieces = new ArrayList<>();
  private final MessageDigest sha256;
  private long offset;
  private long start;

  StoredPieces(OutputStream upload) {
    super(upload);
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    offset++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    offset += len;
  }

  /** Ends the current piece (an empty one is not recorded). */
  void mark() {
    if (offset > start) {
      pieces.add(
          new Manifest.Piece(
              null, start, offset - start, HexFormat.of().formatHex(sha256.digest())));
      start = offset;
    }
  }

  List<Manifest.Piece> pieces() {
    return List.copyOf(pieces);
  }

  /** Lets the encoding streams close without closing (and so aborting) the upload. */
  @Override
  public void close() throws IOException {
    flush();
  }
}
