package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.retention.RetentionPolicy;
import io.pgfleet.worker.storage.ArtifactKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Retention over a synthetic history of 100 backups spread over 120 days. */
class PruneBackupsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final RetentionPolicy POLICY = new RetentionPolicy(3, 7, 10, 6, 4);
  private static final int VERIFIED = 80; // an old backup no rule keeps, but the newest verified

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static S3Client s3;
  private static String target;
  private static final List<RetentionPolicy.Backup> history = new ArrayList<>();

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("payment_db");
    results = fleet.results();
    publisher = fleet.publisher();
    s3 = fleet.s3();
    target = fleet.target("payment_db");
    fleet.startWorker(
        fleet.workerConfig("worker-p", t -> t.toBuilder().retention(POLICY).build()),
        Clock.fixed(NOW, ZoneOffset.UTC));
    writeHistory();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  /** Backup i was made i * 28.8 hours (and 3 more) before NOW: 100 backups over 120 days. */
  private static void writeHistory() throws Exception {
    ArtifactKeys keys = new ArtifactKeys("backups");
    List<Integer> backups = IntStream.range(0, 100).boxed().toList();
    Concurrently.forEach(
        backups,
        i -> {
          String key = keys.logicalDump(target, at(i), "synthetic-" + i);
          put(key, "dump " + i);
          put(ArtifactKeys.manifestOf(key), "{}");
        });
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase)) {
      for (int i : backups) {
        Instant at = at(i);
        String id = "synthetic-" + i;
        String key = keys.logicalDump(target, at, id);
        String uri = "s3://" + fleet.bucket + "/" + key;
        history.add(new RetentionPolicy.Backup(uri, at, i == VERIFIED));
        try (PreparedStatement run =
                c.prepareStatement(
                    "INSERT INTO pgfleet.runs (command_id, target, operation, state, attempt,"
                        + " worker, command, finished_at, result_published)"
                        + " VALUES (?, ?, 'backup', 'succeeded', 1, 'history', '{}', ?, true)");
            PreparedStatement artifact =
                c.prepareStatement(
                    "INSERT INTO pgfleet.artifacts (uri, manifest_uri, command_id, target, kind,"
                        + " bytes, sha256, created_at, verified_at)"
                        + " VALUES (?, ?, ?, ?, 'logical', 100, ?, ?, ?)")) {
          run.setString(1, id);
          run.setString(2, target);
          run.setTimestamp(3, Timestamp.from(at));
          run.executeUpdate();
          artifact.setString(1, uri);
          artifact.setString(2, uri.replace(".dump", ".manifest.json"));
          artifact.setString(3, id);
          artifact.setString(4, target);
          artifact.setString(5, "0".repeat(64));
          artifact.setTimestamp(6, Timestamp.from(at));
          artifact.setTimestamp(7, i == VERIFIED ? Timestamp.from(at.plusSeconds(60)) : null);
          artifact.executeUpdate();
        }
      }
    }
  }

  private static Instant at(int i) {
    return NOW.minus(Duration.ofMinutes(i * 1728L + 180));
  }

  @Test
  void retention_deletes_exactly_what_the_policy_drops_and_keeps_the_newest_verified()
      throws Exception {
    RetentionPolicy.Decision expected = POLICY.apply(history, NOW);
    Set<String> dropped = uris(expected.deleted());
    Set<String> kept = uris(new ArrayList<>(expected.kept().keySet()));

    ResultEvent dryRun = run(new PruneBackupsParams(true, null));
    assertThat(dryRun.outcome()).as(dryRun.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(new TreeSet<>(strings(dryRun.data().statistics().get("wouldDelete"))))
        .isEqualTo(dropped);
    assertThat(storedDumps()).hasSize(100);

    ResultEvent unconfirmed = run(new PruneBackupsParams(false, null));
    assertThat(unconfirmed.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(storedDumps()).hasSize(100);

    ResultEvent pruned = run(new PruneBackupsParams(false, target));
    assertThat(pruned.outcome()).as(pruned.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(new TreeSet<>(strings(pruned.data().statistics().get("deleted"))))
        .isEqualTo(dropped);

    // what the rules say, counted by hand for this history: 10 daily (the 10 newest, one per
    // day), 6 weekly and 4 monthly of which some coincide, plus the newest verified
    assertThat(kept).contains(history.get(VERIFIED).id());
    assertThat(kept).containsAll(uris(history.subList(0, 10)));
    assertThat(expected.kept().get(history.get(VERIFIED))).containsExactly("newest verified");
    assertThat(dropped).hasSize(100 - kept.size()).isNotEmpty();
    assertThat(storedDumps()).isEqualTo(kept);
    assertThat(storedManifests())
        .as("no manifest outlives its dump")
        .isEqualTo(
            new TreeSet<>(kept.stream().map(u -> u.replace(".dump", ".manifest.json")).toList()));
    assertThat(
            Tables.scalar(
                fleet.stack.postgres(),
                fleet.ledgerDatabase,
                "SELECT count(*) FROM pgfleet.artifacts WHERE pruned_at IS NOT NULL AND pruned_by = '"
                    + pruned.data().commandId()
                    + "'"))
        .isEqualTo(dropped.size());
  }

  private static ResultEvent run(PruneBackupsParams params) {
    Command command =
        Commands.of(Operation.PRUNE_BACKUPS, target, params)
            .source("urn:test:prune")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)) // the worker's clock: time must not run ahead
            .build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static void put(String key, String body) {
    s3.putObject(b -> b.bucket(fleet.bucket).key(key), RequestBody.fromString(body));
  }

  private static Set<String> storedDumps() {
    return stored(".dump");
  }

  private static Set<String> storedManifests() {
    return stored(".manifest.json");
  }

  private static Set<String> stored(String suffix) {
    Set<String> uris = new TreeSet<>();
    s3
        .listObjectsV2Paginator(b -> b.bucket(fleet.bucket).prefix("backups/" + target + "/"))
        .contents()
        .stream()
        .map(S3Object::key)
        .filter(k -> k.endsWith(suffix))
        .forEach(k -> uris.add("s3://" + fleet.bucket + "/" + k));
    return uris;
  }

  private static Set<String> uris(List<RetentionPolicy.Backup> backups) {
    return new TreeSet<>(backups.stream().map(RetentionPolicy.Backup::id).toList());
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return (List<String>) list;
  }
}
