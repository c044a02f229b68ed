package io.pgfleet.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * One answer of an operations endpoint (a worker's or a dispatcher's) on 127.0.0.1, with a reader
 * of Prometheus text lines: for tests and checks that scrape the real thing.
 */
public record Scrape(int status, String body) {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public static Scrape get(int port, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Scrape(response.statusCode(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException("cannot GET " + path + " on port " + port, e);
    }
  }

  /**
   * The value of the sample named {@code name} whose labels include every {@code key="value"} pair
   * given; empty when there is none.
   */
  public OptionalDouble value(String name, String... labels) {
    return body.lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  public double require(String name, String... labels) {
    return value(name, labels)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no sample " + name + " " + Arrays.toString(labels) + " in:\n" + body));
  }
}
