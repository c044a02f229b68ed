package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The dispatcher's API as a client sees it: status, headers and the JSON body. */
final class ApiClient {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  ApiClient(URI base) {
    this.base = base;
  }

  /** One answer. */
  record Answer(int status, String contentType, String authenticate, JsonNode body) {}

  Answer get(String token, String path) {
    return send(token, HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String token, String path, String json) {
    return send(
        token,
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Answer send(String token, HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
    }
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
      return new Answer(
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("WWW-Authenticate").orElse(null),
          body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
