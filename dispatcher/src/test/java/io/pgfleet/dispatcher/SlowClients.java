package io.pgfleet.dispatcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Clients on raw sockets that hold an HTTP server's connections: dribblers send a request one byte
 * every 100 ms and never finish its headers; stallers send whole headers announcing a 1,000,000
 * byte body and then stop. Each connection is watched until the server closes it.
 */
final class SlowClients implements AutoCloseable {
  private static final Duration DRIBBLE_EVERY = Duration.ofMillis(100);

  private final List<Socket> sockets = new ArrayList<>();
  private final List<CompletableFuture<Long>> closedByServer = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile boolean closing;
  private final ExecutorService readers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();

  /**
   * {@code dribblers} that send a GET of {@code path}, {@code stallers} that stall in a POST's body
   * without a token (the server refuses them and the JDK waits for the body it drains).
   */
  static SlowClients start(InetSocketAddress server, String path, int dribblers, int stallers)
      throws IOException {
    return start(server, path, dribblers, stallers, null);
  }

  /**
   * As {@link #start(InetSocketAddress, String, int, int)}, the stallers sending {@code token}
   * (null: none): with a token that may post, the server's own handler waits in the body.
   */
  static SlowClients start(
      InetSocketAddress server, String path, int dribblers, int stallers, String token)
      throws IOException {
    SlowClients clients = new SlowClients();
    try {
      for (int i = 0; i < dribblers; i++) {
        clients.dribble(
            clients.open(server, "dribbler"),
            "GET " + path + " HTTP/1.1\r\nHost: slow\r\nX-Slow: ");
      }
      for (int i = 0; i < stallers; i++) {
        clients.write(
            clients.open(server, "staller"),
            "POST "
                + path
                + " HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: 1000000\r\n\r\n{");
      }
      return clients;
    } catch (IOException | RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /** How many connections the server has not closed yet. */
  long open() {
    return closedByServer.stream().filter(f -> !f.isDone()).count();
  }

  /**
   * Waits at most {@code timeout} for the server to close every connection; false if it did not.
   */
  boolean awaitClosedByServer(Duration timeout) {
    try {
      CompletableFuture.allOf(closedByServer.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each connection's kind and when the server closed it, from when the first one opened. */
  @Override
  public String toString() {
    List<String> states = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      CompletableFuture<Long> closed = closedByServer.get(i);
      states.add(
          kinds.get(i)
              + (closed.isDone()
                  ? " closed after " + (closed.join() - started) / 1_000_000 + " ms"
                  : " open"));
    }
    return states.toString();
  }

  private Socket open(InetSocketAddress server, String kind) throws IOException {
    Socket socket = new Socket();
    kinds.add(kind);
    sockets.add(socket);
    socket.connect(server, 2_000);
    CompletableFuture<Long> closed = new CompletableFuture<>();
    closedByServer.add(closed);
    readers.execute(() -> readUntilClosed(socket, closed));
    return socket;
  }

  /** Whatever the server answers is read and dropped; end of stream or a reset is its close. */
  private void readUntilClosed(Socket socket, CompletableFuture<Long> closed) {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // keep reading
      }
      closed.complete(System.nanoTime());
    } catch (IOException e) {
      if (!closing) {
        closed.complete(System.nanoTime()); // reset by the server, not closed by us
      }
    }
  }

  private void dribble(Socket socket, String start) throws IOException {
    byte[] head = start.getBytes(StandardCharsets.US_ASCII);
    OutputStream out = socket.getOutputStream();
    int[] sent = {0};
    dribbler.scheduleWithFixedDelay(
        () -> {
          try {
            out.write(sent[0] < head.length ? head[sent[0]] : 'a');
            out.flush();
            sent[0]++;
          } catch (IOException e) {
            throw new IllegalStateException("closed", e); // ends this dribble only
          }
        },
        0,
        DRIBBLE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    closing = true;
    dribbler.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    readers.shutdownNow();
  }
}
