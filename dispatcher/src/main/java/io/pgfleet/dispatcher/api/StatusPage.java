package io.pgfleet.dispatcher.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The status page's static files at {@code /}: the page itself asks the API for the data. */
final class StatusPage {
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html:text/html",
          "/status.js", "status.js:text/javascript",
          "/status.css", "status.css:text/css");

  private StatusPage() {}

  static void serve(HttpExchange exchange, String path) throws IOException {
    String entry = FILES.get(path);
    if (entry == null || !exchange.getRequestMethod().equals("GET")) {
      HttpJson.send(exchange, 404, "text/plain", null);
      return;
    }
    String[] file = entry.split(":");
    byte[] bytes;
    try (InputStream in =
        StatusPage.class.getResourceAsStream("/io/pgfleet/dispatcher/page/" + file[0])) {
      bytes = in.readAllBytes();
    }
    exchange.getResponseHeaders().add("Content-Type", file[1] + "; charset=utf-8");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
