package io.pgfleet.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How a client command reaches the dispatcher's HTTP API. */
public final class ApiOptions {
  @Option(
      names = "--url",
      defaultValue = "${env:PGFLEET_API_URL:-http://localhost:8080/}",
      description = "Dispatcher URL (env PGFLEET_API_URL; default: ${DEFAULT-VALUE})")
  URI url;

  /** The command these options belong to: a missing token is a usage error of it. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--token",
      defaultValue = "${env:PGFLEET_API_TOKEN}",
      description = "API token (env PGFLEET_API_TOKEN); read-only is enough")
  String token;

  /** GETs a path of the API; an error answer becomes an exception with its problem detail. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          command.commandLine(), "give an API token: --token or PGFLEET_API_TOKEN");
    }
    HttpRequest request =
        HttpRequest.newBuilder(url.resolve(path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("cannot reach the dispatcher at " + url + ": " + e.getMessage(), e);
    }
    JsonNode body = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
    if (response.statusCode() >= 400) {
      String detail = body == null ? "" : body.path("detail").asText("");
      throw new IllegalStateException(
          "the dispatcher answered "
              + response.statusCode()
              + (detail.isEmpty() ? "" : ": " + detail));
    }
    return body;
  }
}
