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
}
