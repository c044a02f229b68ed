package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.retention.RetentionPolicy;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalCheck;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention of base backups and archived WAL over a synthetic history: 40 base backups, one every
 * three days, each with its manifest and backup label, and the WAL between them pushed through the
 * real archive (timeline 1, then timeline 2 from segment 80 on, with its history file).
 */
class PitrRetentionTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final RetentionPolicy GFS = new RetentionPolicy(3, 7, 10, 6, 4);
  private static final RetentionPolicy ONE_DAY = new RetentionPolicy(0, 1, 0, 0, 0);
  private static final int BACKUPS = 40;
  private static final int VERIFIED = 30; // old, kept only as the newest verified
  private static final long SWITCH = 80; // timeline 2 starts in this segment
  private static final long LAST = 90;

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static ArtifactStore store;
  private static String gfsTarget;
  private static String dayTarget;
  private static String untouchedTarget;
  private static Worker worker;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("payment_db", "order_db", "warehouse_db");
    results = fleet.results();
    publisher = fleet.publisher();
    gfsTarget = fleet.target("payment_db");
    dayTarget = fleet.target("order_db");
    untouchedTarget = fleet.target("warehouse_db");
    WorkerConfig config =
        fleet.workerConfig(
            "worker-pitr-prune",
            t -> t.toBuilder().retention(t.name().equals(gfsTarget) ? GFS : ONE_DAY).build());
    store = ArtifactStore.connect(config.storage());
    Ledger.open(config.ledger()).close(); // the ledger's tables, before the history goes in
    writeHistory(gfsTarget, true);
    writeHistory(dayTarget, false);
    writeHistory(untouchedTarget, true);
    archiveWal(gfsTarget);
    archiveWal(dayTarget);
    archiveWal(untouchedTarget);
    worker =
        fleet.startWorker(
            config.withMetrics(new MetricsSettings(0)), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (store != null) {
      store.close();
    }
    fleet.close();
  }

  @Test
  void pruning_deletes_the_base_backups_the_policy_drops_and_the_wal_only_they_needed()
      throws Exception {
    List<RetentionPolicy.Backup> history = history(gfsTarget, true);
    RetentionPolicy.Decision expected = GFS.apply(history, NOW);
    Set<String> dropped = ids(expected.deleted());
    Set<String> kept = ids(new ArrayList<>(expected.kept().keySet()));
    Set<String> archivedBefore = archived(gfsTarget);

    ResultEvent dryRun = run(gfsTarget, new PruneBackupsParams(true, null));
    assertThat(dryRun.outcome()).as(dryRun.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(new TreeSet<>(strings(dryRun.data().statistics().get("wouldDeleteBase"))))
        .isEqualTo(dropped);
    assertThat(manifests(gfsTarget)).hasSize(BACKUPS);
    assertThat(archived(gfsTarget)).isEqualTo(archivedBefore);

    ResultEvent pruned = run(gfsTarget, new PruneBackupsParams(false, gfsTarget));
    assertThat(pruned.outcome()).as(pruned.toString()).isEqualTo(Outcome.SUCCEEDED);
    ExampleKeys.assertSameKeys("succeeded-prune-backups-pitr.json", pruned, results);
    Map<String, Object> stats = pruned.data().statistics();
    assertThat(new TreeSet<>(strings(stats.get("deletedBase")))).isEqualTo(dropped);
    assertThat(kept).contains(baseUri(gfsTarget, VERIFIED));
    assertThat(manifests(gfsTarget)).isEqualTo(manifestKeysOf(gfsTarget, kept));
    assertThat(baseFiles(gfsTarget))
        .as("no file of a deleted backup is left")
        .allMatch(k -> kept.stream().anyMatch(u -> k.startsWith(folderOf(u))));

    // WAL: exactly the files before the oldest kept start are gone, history files stay
    long cutoff = position(VERIFIED);
    Set<String> expectedGone =
        archivedBefore.stream()
            .filter(n -> !n.endsWith(".history"))
            .filter(n -> number(n) < cutoff)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> after = archived(gfsTarget);
    assertThat(expectedGone).isNotEmpty();
    assertThat(after).doesNotContainAnyElementsOf(expectedGone);
    assertThat(archivedBefore).containsAll(after);
    assertThat(archivedBefore.size() - after.size()).isEqualTo(expectedGone.size());
    assertThat(after).contains("00000002.history");
    Map<String, Object> wal = map(stats.get("wal"));
    // segments 1..27 and the labels of backups 31..39
    assertThat(expectedGone).hasSize(27 + 9);
    assertThat(wal)
        .containsEntry("keptFrom", segment(VERIFIED))
        .containsEntry("expired", expectedGone.size());
    assertThat(maps(wal.get("ranges")))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("timeline", "00000001")
                    .containsEntry("first", "000000010000000000000001")
                    .containsEntry("last", "00000001000000000000001B"));

    // every kept backup can still be replayed to the newest segment: no gap from its start on
    List<WalFileName> remaining = after.stream().map(WalFileName::new).toList();
    WalCheck check = WalCheck.of(remaining);
    assertThat(check.hasGaps()).isFalse();
    for (int i = 0; i < BACKUPS; i++) {
      if (kept.contains(baseUri(gfsTarget, i))) {
        assertThat(after).contains(segment(i));
        assertThat(check.firstGapAfter(segment(i))).isEmpty();
      }
    }
    Map<String, Object> window = map(stats.get("recoverableWindow"));
    assertThat(window)
        .containsEntry("startLsn", lsn(VERIFIED))
        .containsEntry("endSegment", name(2, LAST))
        .doesNotContainKey("gap");

    ResultEvent again = run(gfsTarget, new PruneBackupsParams(false, gfsTarget));
    assertThat(strings(again.data().statistics().get("deletedBase"))).isEmpty();
    assertThat(map(again.data().statistics().get("wal"))).containsEntry("expired", 0);
  }

  @Test
  void the_newest_complete_base_backup_and_its_wal_are_kept_even_when_no_rule_keeps_them()
      throws Exception {
    ResultEvent pruned = run(dayTarget, new PruneBackupsParams(false, dayTarget));
    assertThat(pruned.outcome()).as(pruned.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = pruned.data().statistics();
    // backup 0 (3 hours old) is kept by the rule but has lost its manifest: it cannot start a
    // recovery. Backup 1 is older than a day and kept only as the newest complete one.
    assertThat(stats).containsEntry("baseKept", 2);
    assertThat(map(stats.get("wal"))).containsEntry("keptFrom", segment(1));
    assertThat(manifests(dayTarget))
        .isEqualTo(manifestKeysOf(dayTarget, Set.of(baseUri(dayTarget, 1))));
    Set<String> after = archived(dayTarget);
    assertThat(after).contains(segment(1), name(2, LAST), "00000002.history");
    assertThat(after.stream().filter(n -> !n.endsWith(".history")))
        .allMatch(n -> number(n) >= position(1));
    assertThat(WalCheck.of(after.stream().map(WalFileName::new).toList()).hasGaps()).isFalse();
  }

  @Test
  void the_recoverable_window_is_a_pair_of_gauges_per_target() {
    Scrape scrape =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> Scrape.get(worker.metricsPort(), "/metrics"),
                s ->
                    s.value(
                            "pgfleet_recoverable_window_end_timestamp_seconds",
                            "target=\"" + untouchedTarget + "\"")
                        .isPresent());
    String label = "target=\"" + untouchedTarget + "\"";
    assertThat(scrape.require("pgfleet_recoverable_window_start_timestamp_seconds", label))
        .isEqualTo(at(BACKUPS - 1).getEpochSecond());
    assertThat(scrape.require("pgfleet_recoverable_window_end_timestamp_seconds", label))
        .isBetween(
            (double) NOW.minusSeconds(60).getEpochSecond(),
            (double) Instant.now().getEpochSecond() + 1);
  }

  // --- the synthetic history ---

  /** Backup i (0 = newest) was taken 3 * i days and 3 hours before NOW. */
  private static Instant at(int i) {
    return NOW.minus(Duration.ofDays(3L * i).plusHours(3));
  }

  /** Backup i starts in segment 10 + 2 * (39 - i): older backups start earlier. */
  private static long position(int i) {
    return 10 + 2L * (BACKUPS - 1 - i);
  }

  private static int timeline(int i) {
    return position(i) >= SWITCH ? 2 : 1;
  }

  private static String lsn(int i) {
    long p = position(i);
    return String.format("%X/%X", p / 256, (p % 256) * 0x1000000 + 0x28);
  }

  private static String segment(int i) {
    return name(timeline(i), position(i));
  }

  private static String name(int tli, long position) {
    return String.format("%08X%08X%08X", tli, position / 256, position % 256);
  }

  private static long number(String name) {
    return Long.parseLong(name.substring(8, 16), 16) * 256
        + Long.parseLong(name.substring(16, 24), 16);
  }

  private static List<RetentionPolicy.Backup> history(String target, boolean withVerified) {
    List<RetentionPolicy.Backup> h = new ArrayList<>();
    for (int i = 0; i < BACKUPS; i++) {
      h.add(new RetentionPolicy.Backup(baseUri(target, i), at(i), withVerified && i == VERIFIED));
    }
    return h;
  }

  private static String id(String target, int i) {
    return target + "-base-" + i;
  }

  private static String prefix(String target, int i) {
    return store.keys().basePrefix(target, id(target, i));
  }

  private static String baseUri(String target, int i) {
    return store.uri(prefix(target, i) + "base.tar.zst");
  }

  private static String folderOf(String uri) {
    return uri.substring(("s3://" + fleet.bucket + "/").length(), uri.lastIndexOf('/') + 1);
  }

  /**
   * Catalog rows, manifests and files of 40 base backups; on the GFS target backup 30 is verified,
   * on the other backup 0 has lost its manifest.
   */
  private static void writeHistory(String target, boolean gfs) throws Exception {
    List<Integer> backups = IntStream.range(0, BACKUPS).boxed().toList();
    Concurrently.forEach(backups, i -> storeFiles(target, i, gfs || i != 0));
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase)) {
      for (int i : backups) {
        catalog(c, target, i, gfs && i == VERIFIED);
      }
    }
  }

  private static void storeFiles(String target, int i, boolean withManifest) throws Exception {
    String prefix = prefix(target, i);
    store.put(prefix + "base.tar.zst", ("base " + i).getBytes(), "application/zstd");
    store.put(prefix + "backup_manifest.zst", ("{} " + i).getBytes(), "application/zstd");
    if (withManifest) {
      BaseManifest m =
          new BaseManifest(
              BaseManifest.VERSION,
              BaseManifest.KIND,
              target,
              id(target, i),
              lsn(i),
              lsn(i).replace("/", "/1"),
              timeline(i),
              at(i),
              at(i).plusSeconds(60),
              "15",
              150000,
              "1",
              "15",
              List.of());
      store.put(prefix + "manifest.json", Json.mapper().writeValueAsBytes(m), "application/json");
    }
  }

  private static void catalog(Connection c, String target, int i, boolean verified)
      throws Exception {
    try (PreparedStatement run =
            c.prepareStatement(
                "INSERT INTO pgfleet.runs (command_id, target, operation, state, attempt,"
                    + " worker, command, finished_at, result_published)"
                    + " VALUES (?, ?, 'base-backup', 'succeeded', 1, 'history', '{}', ?, true)");
        PreparedStatement artifact =
            c.prepareStatement(
                "INSERT INTO pgfleet.artifacts (uri, manifest_uri, command_id, target, kind,"
                    + " bytes, sha256, created_at, verified_at)"
                    + " VALUES (?, ?, ?, ?, 'base', 1000, ?, ?, ?)")) {
      run.setString(1, id(target, i));
      run.setString(2, target);
      run.setTimestamp(3, Timestamp.from(at(i)));
      run.executeUpdate();
      artifact.setString(1, baseUri(target, i));
      artifact.setString(2, store.uri(prefix(target, i) + "manifest.json"));
      artifact.setString(3, id(target, i));
      artifact.setString(4, target);
      artifact.setString(5, "0".repeat(64));
      artifact.setTimestamp(6, Timestamp.from(at(i)));
      artifact.setTimestamp(7, verified ? Timestamp.from(at(i).plusSeconds(600)) : null);
      artifact.executeUpdate();
    }
  }

  /**
   * Segments 1..80 on timeline 1, 80..90 on timeline 2, the history file, and a backup label per
   * base backup, each pushed through the archive as archive_command would.
   */
  private static void archiveWal(String target) throws Exception {
    WalArchive archive = new WalArchive(store, target);
    Path dir = Files.createTempDirectory("pgfleet-wal");
    List<String> names = new ArrayList<>();
    for (long p = 1; p <= SWITCH; p++) {
      names.add(name(1, p));
    }
    for (long p = SWITCH; p <= LAST; p++) {
      names.add(name(2, p));
    }
    names.add("00000002.history");
    for (int i = 0; i < BACKUPS; i++) {
      names.add(segment(i) + ".00000028.backup");
    }
    for (String n : names) {
      Files.write(dir.resolve(n), ("wal " + n).getBytes(StandardCharsets.UTF_8));
    }
    // pushed by 8 at a time, as a busy server's archiver would keep several in flight
    Concurrently.forEach(names, n -> archive.push(dir.resolve(n)));
  }

  // --- reading the bucket ---

  private static Set<String> archived(String target) {
    return new WalArchive(store, target)
        .list().stream().map(WalFileName::value).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> baseFiles(String target) {
    return new TreeSet<>(store.list(store.keys().targetPrefix(target) + "base/"));
  }

  private static Set<String> manifests(String target) {
    return baseFiles(target).stream()
        .filter(k -> k.endsWith("/manifest.json"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> manifestKeysOf(String target, Set<String> uris) {
    return uris.stream()
        .map(u -> folderOf(u) + "manifest.json")
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static ResultEvent run(String target, PruneBackupsParams params) {
    Command command =
        Commands.of(Operation.PRUNE_BACKUPS, target, params).source("urn:test:prune").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static Set<String> ids(List<RetentionPolicy.Backup> backups) {
    return new TreeSet<>(backups.stream().map(RetentionPolicy.Backup::id).toList());
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return (List<String>) list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object o) {
    return (List<Map<String, Object>>) o;
  }
}
