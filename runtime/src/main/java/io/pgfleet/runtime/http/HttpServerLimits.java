package io.pgfleet.runtime.http;

import io.pgfleet.commands.Printable;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * How long one request may hold a thread of the JDK's HTTP server, which the dispatcher's API and
 * every metrics endpoint run on. That server reads a request's line, headers and body with blocking
 * reads on its few handler threads and by default waits forever, so a handful of clients that send
 * a byte now and then, or announce a body and stall, would hold every thread and nobody else would
 * be answered. Its timer closes a connection whose request is not read within the request limit
 * ({@link #DEFAULT_REQUEST_TIME} unless set) after its first byte arrived (time spent queued for a
 * thread counts), and one whose response is not written within the response limit ({@link
 * #DEFAULT_RESPONSE_TIME}) after the request was read.
 *
 * <p>The JDK reads these system properties once per JVM, when the first server is created: call
 * {@link #apply()} before every {@code HttpServer.create}. A value the operator set ({@code
 * -Dsun.net.httpserver.maxReqTime=30}) is kept; 0 or less means no limit, as in the JDK.
 */
public final class HttpServerLimits {
  public static final String REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
  public static final String RESPONSE_TIME_PROPERTY = "sun.net.httpserver.maxRspTime";

  /**
   * A request is a line, a few headers and at most a 64 KiB body: ample, and what a client waits
   * while slow ones hold every thread.
   */
  public static final Duration DEFAULT_REQUEST_TIME = Duration.ofSeconds(10);

  /**
   * Above the longest a command submission can take while Kafka is down, so that its 503 still
   * reaches the client: the target directory's refresh (up to 15 s), the producer waiting for the
   * topic's metadata (Kafka's {@code max.block.ms}, 60 s) and the 30 s wait for the
   * acknowledgement.
   */
  public static final Duration DEFAULT_RESPONSE_TIME = Duration.ofSeconds(120);

  /** How often the JDK's timer looks ({@code sun.net.httpserver.timerMillis}, 1 s by default). */
  private static final String CHECK_INTERVAL = "sun.net.httpserver.timerMillis";

  private HttpServerLimits() {}

  /** Sets the limits the operator did not set; refuses one that is not a whole number. */
  public static void apply() {
    apply(System.getProperties());
  }

  static void apply(Properties properties) {
    properties.putIfAbsent(REQUEST_TIME_PROPERTY, Long.toString(DEFAULT_REQUEST_TIME.toSeconds()));
    properties.putIfAbsent(
        RESPONSE_TIME_PROPERTY, Long.toString(DEFAULT_RESPONSE_TIME.toSeconds()));
    limit(properties, REQUEST_TIME_PROPERTY);
    limit(properties, RESPONSE_TIME_PROPERTY);
  }

  /** The request limit of this JVM's servers, once {@link #apply()} ran; empty: none. */
  public static Optional<Duration> requestTime() {
    return limit(System.getProperties(), REQUEST_TIME_PROPERTY);
  }

  /** The response limit of this JVM's servers, once {@link #apply()} ran; empty: none. */
  public static Optional<Duration> responseTime() {
    return limit(System.getProperties(), RESPONSE_TIME_PROPERTY);
  }

  /** How late after its limit a connection may still be closed. */
  public static Duration checkInterval() {
    long millis = Long.getLong(CHECK_INTERVAL, 1000);
    return Duration.ofMillis(millis > 0 ? millis : 1000);
  }

  static Optional<Duration> limit(Properties properties, String name) {
    String value = properties.getProperty(name);
    if (value == null) {
      return Optional.empty();
    }
    long seconds;
    try {
      seconds = Long.decode(value); // as the JDK reads it (Long.getLong)
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + " is "
              + Printable.quote(value)
              + ": set it to a whole number of seconds, or 0 for no limit");
    }
    return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
  }
}
