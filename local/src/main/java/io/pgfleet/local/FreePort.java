package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Picks a TCP port on 127.0.0.1 that nothing listens on right now. */
final class FreePort {

  static final String LOOPBACK = "127.0.0.1";

  /**
   * Ports already handed out in this JVM. A released port can come straight back from the kernel,
   * and servers keep theirs across restarts, so no port is handed out twice.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  /**
   * Binds port 0 on the loopback address and releases it again. Another process could take the port
   * before the caller binds it; on a test machine that window is small enough to accept.
   */
  static int pick() {
    while (true) {
      int port = bindAndRelease();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
  }

  private static int bindAndRelease() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port on " + LOOPBACK, e);
    }
  }
}
