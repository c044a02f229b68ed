package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.pgfleet.commands.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading a request's JSON body and answering with JSON, for every API route. */
final class HttpJson {
  private static final int MAX_BODY = 64 * 1024;

  private HttpJson() {}

  static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw Problem.of(405, "method-not-allowed", "Method not allowed", "use " + allowed).answer();
    }
  }

  static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw CommandBody.invalid("/", "the body exceeds " + MAX_BODY + " bytes");
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw CommandBody.invalid("/", "not valid JSON");
    }
  }

  static void send(HttpExchange exchange, int status, String type, Object body) throws IOException {
    byte[] bytes =
        body == null
            ? new byte[0]
            : Json.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
