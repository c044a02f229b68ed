package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.dispatcher.Dispatcher;
import io.pgfleet.dispatcher.DispatcherConfigFile;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pgfleet runs} and {@code pgfleet watch} against a dispatcher started from a config file.
 */
class RunsAndWatchCommandTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "cli-runs";
  private static final String TOKEN = "cli-read-token-0123456789";
  private static final String REQUEST_TOKEN = "cli-request-token-0123456789";
  private static Worker worker;
  private static Dispatcher dispatcher;
  private static SampleDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = SampleFleet.create(stack.postgres(), "order_db", "cli_runs_order_db");
    stack.s3().createBucket("cli-runs");
    stack.postgres().createDatabase("cli_runs_ledger", stack.postgres().superuser());
    worker =
        Worker.start(
            LocalWorkerConfigs.of(
                stack,
                "cli-runs-worker",
                new Topics(PREFIX),
                "cli-runs",
                "cli_runs_ledger",
                List.of(db)));
    Path dir = TempDirs.create("pgfleet-cli-runs");
    Files.writeString(dir.resolve("ledger-password"), stack.postgres().superuserPassword());
    Files.writeString(dir.resolve("request-token"), REQUEST_TOKEN);
    Path config = dir.resolve("dispatcher.yaml");
    Files.writeString(
        config,
        """
        dispatcher: {id: cli-dispatcher}
        kafka: {bootstrapServers: "%s", topicPrefix: %s}
        ledger: {url: "%s", user: %s, password: {file: %s}}
        http: {listen: "127.0.0.1:0"}
        api:
          tokens:
            - {name: cli, role: read-only, sha256: %s}
            - {name: cli-requests, role: requester, token: {file: %s}}
        schedules:
          - {name: nightly-backup, cron: "0 2 * * *", targets: all, operation: backup, window: 3h}
        """
            .formatted(
                stack.kafka().bootstrapServers(),
                PREFIX,
                stack.postgres().jdbcUrl("cli_runs_ledger"),
                stack.postgres().superuser(),
                dir.resolve("ledger-password"),
                sha256(TOKEN),
                dir.resolve("request-token")));
    dispatcher = Dispatcher.start(DispatcherConfigFile.load(config, Map.of()));
  }

  @AfterAll
  static void stop() {
    dispatcher.close();
    worker.close();
  }

  @Test
  void runs_list_and_show_print_what_the_dispatcher_knows() throws Exception {
    String id = submit("cli-runs-1");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> pgfleet("runs", "show", id, "--url", url(), "--token", TOKEN).out(),
            // the status the list below shows (the event and the status are committed together)
            out -> out.lines().anyMatch(l -> l.matches("status\\s+succeeded")));

    CliRun list =
        pgfleet(
            "runs",
            "list",
            "--target",
            db.name(),
            "--since",
            "1h",
            "--url",
            url(),
            "--token",
            TOKEN);
    CliRun show = pgfleet("runs", "show", id, "--url", url(), "--token", TOKEN);
    CliRun denied = pgfleet("runs", "list", "--url", url(), "--token", "wrong");

    assertThat(list.code()).isZero();
    assertThat(list.out())
        .containsPattern("succeeded\\s+cli_runs_order_db\\s+backup\\s+cli-runs-1");
    assertThat(show.out())
        .contains("source       urn:pgfleet:api:cli-requests")
        .containsPattern("started\\s+attempt 1 on cli-runs-worker")
        .contains("artifact     s3://cli-runs/backups/cli_runs_order_db/");
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err()).contains("the dispatcher answered 401: the token is not valid");
  }

  @Test
  void watch_follows_a_targets_results_live_until_the_run_ends() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int[] code = {-1};
    Thread watcher;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      watcher =
          new Thread(
              () ->
                  code[0] =
                      Main.run(
                          "watch",
                          "--target",
                          db.name(),
                          "--count",
                          "1",
                          "--timeout",
                          "2m",
                          "-b",
                          stack.kafka().bootstrapServers(),
                          "--topic-prefix",
                          PREFIX));
      watcher.start();
      await().until(() -> captured.toString(StandardCharsets.UTF_8).contains("watching"));
      Command command = Commands.backup(db.name()).id("cli-watch-1").build();
      try (CommandPublisher publisher =
          CommandPublisher.connect(
              stack.kafka().bootstrapServers(), new Topics(PREFIX), Map.of())) {
        publisher.publish(command).join();
      }
      watcher.join(120_000);
    } finally {
      System.setOut(stdout);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(code[0]).as(out).isZero();
    assertThat(out)
        .containsPattern("started\\s+cli_runs_order_db\\s+backup\\s+cli-watch-1")
        .containsPattern("succeeded cli_runs_order_db\\s+backup\\s+cli-watch-1");
  }

  private static String submit(String id) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "api/v1/commands"))
                    .header("Authorization", "Bearer " + REQUEST_TOKEN)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"id\": \""
                                + id
                                + "\", \"operation\": \"backup\", \"target\": \""
                                + db.name()
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return id;
  }

  private static String url() {
    return dispatcher.uri().toString();
  }

  private static String sha256(String token) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.of(args);
  }
}
