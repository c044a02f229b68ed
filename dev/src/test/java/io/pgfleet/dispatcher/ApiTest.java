package io.pgfleet.dispatcher;

import static io.pgfleet.dispatcher.TestFleet.OPERATOR;
import static io.pgfleet.dispatcher.TestFleet.READER;
import static io.pgfleet.dispatcher.TestFleet.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.ApiClient.Answer;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API against a running dispatcher and worker on the real local stack. */
class ApiTest {
  private static TestFleet fleet;
  private static ApiClient api;
  private static String target;

  @BeforeAll
  static void start() {
    fleet = new TestFleet("order_db");
    target = fleet.target("order_db");
    FleetWorkers.start(fleet, "worker-a", Clock.systemUTC());
    ObjectNode params = Json.mapper().createObjectNode();
    Schedule nightly =
        new Schedule(
            "nightly-backup",
            CronCalendar.parse("0 2 * * *", ZoneOffset.UTC),
            TargetSelector.everyTarget(),
            "backup",
            params,
            Duration.ofHours(3));
    Dispatcher dispatcher =
        fleet.startDispatcher(
            fleet.dispatcherConfig("dispatcher-a", Duration.ofHours(6), List.of(nightly)),
            Clock.systemUTC());
    api = new ApiClient(dispatcher.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  @Test
  void each_role_can_do_exactly_what_it_may() {
    for (String token : List.of(READER, REQUESTER, OPERATOR)) {
      assertThat(api.get(token, "/api/v1/targets").status()).isEqualTo(200);
      assertThat(api.get(token, "/api/v1/runs").status()).isEqualTo(200);
      assertThat(api.get(token, "/api/v1/schedules").status()).isEqualTo(200);
    }
    assertThat(submit(READER, "backup", "{}").status()).isEqualTo(403);
    assertThat(submit(REQUESTER, "backup", "{}").status()).isEqualTo(202);
    assertThat(submit(OPERATOR, "backup", "{}").status()).isEqualTo(202);

    for (String destructive : List.of("restore", "terminate-backends", "prune-backups")) {
      Answer refused = submit(REQUESTER, destructive, "{\"confirm\": \"" + target + "\"}");
      assertThat(refused.status()).as(destructive).isEqualTo(403);
      assertThat(refused.body().get("detail").asText()).contains("needs role operator");
      // An operator passes authorization; what follows is the schemas' verdict on the command.
      assertThat(submit(OPERATOR, destructive, "{\"confirm\": \"" + target + "\"}").status())
          .as(destructive)
          .isNotIn(401, 403);
    }
    assertThat(submit(REQUESTER, "vacuum", "{\"full\": true}").status()).isEqualTo(403);
  }

  @Test
  void a_missing_or_wrong_token_gets_401() {
    for (String token : new String[] {null, "not-a-token", "Basic " + OPERATOR, "Bearer "}) {
      Answer answer = api.get(token, "/api/v1/runs");
      assertThat(answer.status()).as(String.valueOf(token)).isEqualTo(401);
      assertThat(answer.authenticate()).startsWith("Bearer");
      assertThat(answer.contentType()).isEqualTo("application/problem+json");
      assertThat(answer.body().get("status").asInt()).isEqualTo(401);
    }
    assertThat(api.post(null, "/api/v1/commands", "{}").status()).isEqualTo(401);
  }

  @Test
  void invalid_bodies_get_problem_details_naming_the_field() {
    assertField(
        submit(REQUESTER, "backup", "{\"compressionLevel\": 42}"), 400, "/params/compressionLevel");
    assertField(submit(REQUESTER, "backup", "{\"level\": 1}"), 400, "/params");
    assertField(post("{\"operation\": \"backup\"}"), 400, "/target");
    assertField(post("{\"target\": \"" + target + "\"}"), 400, "/operation");
    assertField(post("{\"operation\": \"backup\", \"target\": \"../etc\"}"), 400, "/target");
    assertField(
        post("{\"operation\": \"Backup!\", \"target\": \"" + target + "\"}"), 400, "/operation");
    assertField(
        post("{\"operation\": \"backup\", \"target\": \"" + target + "\", \"subject\": \"x\"}"),
        400,
        "/subject");
    assertField(
        post(
            "{\"operation\": \"backup\", \"target\": \"" + target + "\", \"expiresAt\": \"soon\"}"),
        400,
        "/expiresAt");
    assertField(
        post("{\"operation\": \"backup\", \"target\": \"" + target + "\", \"id\": \"has space\"}"),
        400,
        "/id");
    assertField(post("{\"operation\": \"backup\", \"target\": \"no_such_db\"}"), 422, "/target");
    assertField(post("[1, 2"), 400, "/");
    Answer query = api.get(READER, "/api/v1/runs?status=bogus");
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.body().at("/errors/0/parameter").asText()).isEqualTo("status");
  }

  @Test
  void the_same_client_id_twice_gives_the_same_run_and_runs_once() {
    String id = "api-test:" + target + ":1";
    String body =
        "{\"id\": \"" + id + "\", \"operation\": \"backup\", \"target\": \"" + target + "\"}";

    Answer first = api.post(REQUESTER, "/api/v1/commands", body);
    Answer second = api.post(OPERATOR, "/api/v1/commands", body);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(200);
    assertThat(first.body().get("commandId").asText()).isEqualTo(id);
    assertThat(second.body().get("commandId").asText()).isEqualTo(id);
    Answer run =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> api.get(READER, "/api/v1/runs/" + id),
                a -> a.status() == 200 && a.body().get("status").asText().equals("succeeded"));
    assertThat(run.body().get("source").asText()).isEqualTo("urn:pgfleet:api:order-service");
    assertThat(run.body().get("events"))
        .extracting(e -> e.get("outcome").asText())
        .filteredOn(outcome -> !outcome.equals("progress"))
        .as(run.body().toString())
        .containsExactly("started", "succeeded");
    assertThat(run.body().at("/artifacts/0/uri").asText()).startsWith("s3://" + fleet.bucket + "/");
    assertThat(CommandTopics.readAll(fleet.stack.kafka().bootstrapServers(), fleet.id))
        .filteredOn(c -> c.get("id").asText().equals(id))
        .hasSize(1);
    assertField(
        api.post(
            REQUESTER,
            "/api/v1/commands",
            body.replace("}", ", \"params\": {\"compressionLevel\": 9}}")),
        409,
        "/id");
  }

  @Test
  void runs_are_listed_by_target_operation_status_and_time_and_targets_show_their_backup() {
    Answer submitted = submit(REQUESTER, "backup", "{}");
    String id = submitted.body().get("commandId").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                api.get(READER, "/api/v1/runs/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("succeeded"));

    assertThat(ids("/api/v1/runs?target=" + target + "&operation=backup&status=succeeded"))
        .contains(id);
    assertThat(ids("/api/v1/runs?status=failed")).doesNotContain(id);
    assertThat(ids("/api/v1/runs?from=2099-01-01T00:00:00Z")).isEmpty();
    assertThat(ids("/api/v1/runs?to=2000-01-01T00:00:00Z")).isEmpty();
    assertThat(ids("/api/v1/runs?limit=1")).hasSize(1);

    Answer targets = api.get(READER, "/api/v1/targets");
    assertThat(targets.body().at("/targets/0/target").asText()).isEqualTo(target);
    assertThat(targets.body().at("/targets/0/backup/status").asText()).isEqualTo("green");
    assertThat(targets.body().at("/targets/0/verifiedBackup/status").asText()).isEqualTo("red");
    Answer schedules = api.get(READER, "/api/v1/schedules");
    assertThat(schedules.body().at("/schedules/0/name").asText()).isEqualTo("nightly-backup");
    assertThat(schedules.body().at("/schedules/0/next")).hasSize(3);
    assertThat(schedules.body().at("/schedules/0/next/0").asText()).endsWith("T02:00:00Z");
  }

  private static List<String> ids(String path) {
    Answer answer = api.get(READER, path);
    assertThat(answer.status()).as(path).isEqualTo(200);
    return java.util.stream.StreamSupport.stream(answer.body().get("runs").spliterator(), false)
        .map(r -> r.get("commandId").asText())
        .toList();
  }

  private static Answer submit(String token, String operation, String params) {
    return api.post(
        token,
        "/api/v1/commands",
        "{\"operation\": \""
            + operation
            + "\", \"target\": \""
            + target
            + "\", \"params\": "
            + params
            + "}");
  }

  private static Answer post(String body) {
    return api.post(REQUESTER, "/api/v1/commands", body);
  }

  private static void assertField(Answer answer, int status, String pointer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.body().get("type").asText()).startsWith("https://pgfleet.io/problems/");
    assertThat(answer.body().at("/errors/0/pointer").asText())
        .as(String.valueOf(answer.body()))
        .isEqualTo(pointer);
  }
}
