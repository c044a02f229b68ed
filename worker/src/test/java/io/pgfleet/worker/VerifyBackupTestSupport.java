package io.pgfleet.worker;

import java.net.URI;

/** Raw object access for tests that inspect or damage what the worker stored. */
final class VerifyBackupTestSupport {
  private VerifyBackupTestSupport() {}

  static byte[] read(Fleet fleet, String uri) {
    URI u = URI.create(uri);
    return fleet
        .s3()
        .getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))
        .asByteArray();
  }

  /** The stored range of a table's data block, from the manifest's archive index. */
  static long[] block(com.fasterxml.jackson.databind.node.ObjectNode manifest, String table) {
    int dumpId = -1;
    for (var t : manifest.get("tables")) {
      if (t.get("table").asText().equals(table)) {
        dumpId = t.get("dumpId").asInt();
      }
    }
    for (var b : manifest.get("archive").get("blocks")) {
      if (b.get("dumpId").asInt() == dumpId) {
        return new long[] {b.get("offset").asLong(), b.get("length").asLong()};
      }
    }
    throw new AssertionError("no block for " + table);
  }

  /** A digit of the first row's last column, changed to another: same length, still valid. */
  static void changeLastDigitOfFirstRow(byte[] archive, long[] block) {
    int start = (int) block[0] + 1 + 5 + 5; // block type, dump id, first chunk's length
    int nl = start;
    while (archive[nl] != '\n') {
      nl++;
    }
    byte digit = archive[nl - 1];
    org.assertj.core.api.Assertions.assertThat((char) digit).isBetween('0', '9');
    archive[nl - 1] = (byte) (digit == '9' ? '8' : digit + 1);
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
