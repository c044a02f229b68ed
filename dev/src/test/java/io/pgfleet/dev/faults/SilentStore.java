package io.pgfleet.dev.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on 127.0.0.1 standing in for S3. It forwards to a real store until {@link
 * #hang()}; from then on it accepts connections and never answers: no byte goes either way, on new
 * connections and on those already open (a request being sent stalls once the socket buffers are
 * full, a response never comes).
 */
final class SilentStore implements AutoCloseable {
  private final ServerSocket server;
  private final URI upstream;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean hanging;

  private SilentStore(URI upstream, boolean hanging) throws IOException {
    this.upstream = upstream;
    this.hanging = hanging;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "silent-store-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Forwards to {@code upstream} until {@link #hang()}. */
  static SilentStore inFrontOf(URI upstream) throws IOException {
    return new SilentStore(upstream, false);
  }

  /** Never answers, from the first connection. */
  static SilentStore silent() throws IOException {
    return new SilentStore(null, true);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  void hang() {
    hanging = true;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        if (hanging || upstream == null) {
          continue; // held open, never read, never answered
        }
        Socket store = new Socket(upstream.getHost(), upstream.getPort());
        sockets.add(store);
        pump(client.getInputStream(), store.getOutputStream());
        pump(store.getInputStream(), client.getOutputStream());
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  while (hanging) {
                    Thread.sleep(50);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // a side closed the connection
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "silent-store-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
