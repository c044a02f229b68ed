package io.pgfleet.dispatcher;

import static io.pgfleet.dispatcher.TestFleet.OPERATOR;
import static io.pgfleet.dispatcher.TestFleet.READER;
import static io.pgfleet.dispatcher.TestFleet.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.ApiClient.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a client sends the HTTP API (a command body of hostile strings, numbers and shapes, or
 * bytes that are not JSON; a run id or a query string of any characters; any token), the answer is
 * one it can read: never a 5xx, an error as problem+json whose status is the answer's and whose
 * text holds no raw control character, and a command accepted (202) only with a run the API then
 * shows. Against a running dispatcher on the real local stack.
 */
class ApiInputPropertiesTest {
  private static final List<String> HOSTILE =
      List.of(
          "",
          " ",
          "\u0000",
          "\u001b]0;pwned\u0007",
          "line\nbreak",
          "\u202eevil",
          "\ud83d\udca5",
          "\ud800",
          "../../etc/passwd",
          "'; DROP TABLE runs; --",
          "${jndi:ldap://x/y}",
          "%n%s",
          "99999999999999999999",
          "-1",
          "1e308",
          "x".repeat(5_000));

  private static TestFleet fleet;
  private static ApiClient api;
  private static String target;

  @BeforeContainer
  static void start() {
    fleet = new TestFleet("order_db");
    target = fleet.target("order_db");
    Dispatcher dispatcher =
        fleet.startDispatcher(
            fleet.dispatcherConfig("dispatcher-props", Duration.ofHours(6), List.of()),
            Clock.systemUTC());
    api = new ApiClient(dispatcher.uri());
  }

  @AfterContainer
  static void stop() throws Exception {
    fleet.close();
  }

  @Property(tries = 150)
  void any_request_gets_a_readable_answer_and_only_a_valid_command_is_accepted(
      @ForAll("requests") Request request) {
    Answer answer =
        request.body() == null
            ? api.get(request.token(), request.path())
            : api.post(request.token(), request.path(), request.body());

    Statistics.label("status").collect(answer.status());
    assertThat(answer.status()).as("%s", request).isBetween(200, 499);
    if (answer.status() >= 400) {
      assertThat(answer.contentType()).as("%s", request).isEqualTo("application/problem+json");
      assertThat(answer.body().get("status").asInt()).isEqualTo(answer.status());
      assertThat(texts(answer.body()))
          .as("%s", request)
          .noneMatch(t -> t.codePoints().anyMatch(Character::isISOControl));
    }
    if (answer.status() == 202) {
      String id = answer.body().get("commandId").asText();
      assertThat(api.get(READER, "/api/v1/runs/" + encode(id)).status()).isEqualTo(200);
    }
  }

  /** Every string value and field name of an answer. */
  private static List<String> texts(JsonNode node) {
    List<String> all = new ArrayList<>();
    if (node.isTextual()) {
      all.add(node.asText());
    }
    node.fieldNames().forEachRemaining(all::add);
    node.elements().forEachRemaining(child -> all.addAll(texts(child)));
    return all;
  }

  /** One request: GET when {@code body} is null. */
  record Request(String token, String path, String body) {}

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> token =
        Arbitraries.frequencyOf(
            weighted(8, Arbitraries.just(REQUESTER)),
            weighted(2, Arbitraries.just(OPERATOR)),
            weighted(1, Arbitraries.just(READER)),
            weighted(1, Arbitraries.of("", "Basic x", "Bearer " + "y".repeat(3_000))),
            weighted(1, Arbitraries.just((String) null)));
    Arbitrary<String> value =
        Arbitraries.oneOf(Arbitraries.of(HOSTILE), Arbitraries.strings().all().ofMaxLength(30));
    Arbitrary<Request> command =
        Combinators.combine(token, commandBodies(value))
            .as((t, b) -> new Request(t, "/api/v1/commands", b));
    Arbitrary<Request> run =
        Combinators.combine(token, value)
            .as((t, id) -> new Request(t, "/api/v1/runs/" + encode(id), null));
    Arbitrary<Request> query =
        Combinators.combine(
                token,
                Arbitraries.of("status", "target", "operation", "since", "limit", "x", ""),
                value)
            .as((t, k, v) -> new Request(t, "/api/v1/runs?" + encode(k) + "=" + encode(v), null));
    return Arbitraries.frequencyOf(weighted(6, command), weighted(2, run), weighted(2, query));
  }

  /** JSON objects with pgfleet's fields (and others) set to anything, or text that is not JSON. */
  private Arbitrary<String> commandBodies(Arbitrary<String> value) {
    Arbitrary<Object> anything =
        Arbitraries.oneOf(
            value.map(v -> v),
            Arbitraries.integers().map(i -> i),
            Arbitraries.just(null),
            Arbitraries.just(Map.of("nested", List.of(1, "two"))),
            Arbitraries.just(List.of()));
    Arbitrary<String> field =
        Arbitraries.of(
            "operation", "target", "params", "id", "expiresAt", "subject", "source", "x");
    Arbitrary<String> json =
        Combinators.combine(
                Arbitraries.of("backup", "vacuum", "restore", "terminate-backends", "nope"),
                Arbitraries.oneOf(Arbitraries.just(target), value),
                Combinators.combine(field, anything)
                    .as(AbstractMap.SimpleEntry::new)
                    .list()
                    .ofMaxSize(3))
            .as(
                (operation, name, extra) -> {
                  ObjectNode body = Json.mapper().createObjectNode();
                  body.put("operation", operation);
                  body.put("target", name);
                  extra.forEach(e -> body.set(e.getKey(), Json.mapper().valueToTree(e.getValue())));
                  return body.toString();
                });
    return Arbitraries.frequencyOf(
        weighted(8, json), weighted(1, value), weighted(1, Arbitraries.just("[1, 2")));
  }

  private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(
      int weight, Arbitrary<? extends T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
