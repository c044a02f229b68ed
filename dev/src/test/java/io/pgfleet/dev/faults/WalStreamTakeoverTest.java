package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalCheck;
import io.pgfleet.worker.wal.WalFileName;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL streamed by the fleet: the worker streaming a target is killed with SIGKILL, another takes
 * the stream over within the lease TTL, and the archive stays continuous; the slot pgfleet created
 * is reported and dropped when the target leaves streaming.
 */
@Tag("faults")
class WalStreamTakeoverTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "walstream";
  private static final String BUCKET = "walstream";
  private static final String LEDGER = "walstream_ledger";
  private static final Duration TTL = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void
      a_streamer_killed_with_sigkill_is_replaced_within_the_lease_ttl_and_the_archive_stays_continuous()
          throws Exception {
    SampleDatabase db = Probes.tinyDatabase(stack.postgres(), "walstream_db");
    stack.postgres().execute("postgres", "ALTER ROLE \"" + db.owner() + "\" REPLICATION");
    stack.postgres().createDatabase(LEDGER, stack.postgres().superuser());
    stack.s3().createBucket(BUCKET);
    String slot = "pgfleet_" + db.name();
    Map<String, String> env = Map.of("PGFLEET_LOG_LEVEL", "INFO");
    writeSecrets(db);
    Path streamed = config("walstream-a", db, true, 0);
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(streamed))) {
      WalArchive archive = new WalArchive(store, db.name());
      WorkerProcess victim = WorkerProcess.start(streamed, "walstream-a", env, dir);
      try {
        await("worker a streams")
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> "walstream-a".equals(ledger("SELECT worker FROM pgfleet.wal_streams")));
        await("the slot is created by the streamer")
            .atMost(Duration.ofSeconds(10))
            .until(() -> slotExists(slot));
        String first = switchWal();
        awaitArchived(archive, first);

        int metricsPort = freePort();
        Path survivorConfig = config("walstream-b", db, true, metricsPort);
        try (Worker survivor = Worker.start(WorkerConfigFile.load(survivorConfig))) {
          assertThat(survivor.streaming()).as("a holds the lease").isEmpty();
          insert(db, 1000);
          victim.kill();
          long killedAt = System.nanoTime();
          await("worker b takes the stream over")
              .atMost(TTL.multipliedBy(3))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> survivor.streaming().contains(db.name()));
          Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
          // the lease expires at most one TTL after a's last heartbeat; b looks every TTL / 3
          assertThat(takeover).isLessThan(TTL.plus(TTL.dividedBy(3)).plusSeconds(2));

          String last = switchWal();
          awaitArchived(archive, last);
          WalCheck check = WalCheck.of(archive.list());
          assertThat(check.hasGaps()).as(check.toString()).isFalse();
          assertThat(check.timelines().get(0).first()).isLessThanOrEqualTo(first);
          assertThat(check.timelines().get(0).last()).isGreaterThanOrEqualTo(last);

          insert(db, 10);
          await("the segment in progress is stored as .partial within seconds")
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      archive.files().stream()
                          .anyMatch(f -> f.name().value().endsWith(".partial")));
          await("the slot's retained bytes are exported")
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      metrics(metricsPort)
                          .contains(
                              "pgfleet_wal_stream_slot_retained_bytes{target=\"" + db.name()));
        }
        FaultSummary.record("WAL streamer SIGKILL", 1, 1, 2, 0, 0);

        Path retired = config("walstream-c", db, false, 0);
        try (Worker leaving = Worker.start(WorkerConfigFile.load(retired))) {
          await("the slot is dropped when the target leaves streaming")
              .atMost(Duration.ofSeconds(15))
              .until(() -> !slotExists(slot));
          assertThat(ledger("SELECT count(*) FROM pgfleet.wal_streams")).isEqualTo("0");
        }
      } finally {
        victim.close();
        dropSlot(slot);
      }
    }
  }

  private static String switchWal() throws Exception {
    try (Connection c = stack.postgres().connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void awaitArchived(WalArchive archive, String segment) {
    await("segment " + segment + " streamed into the archive")
        .atMost(Duration.ofSeconds(20))
        .until(() -> archive.list().contains(new WalFileName(segment)));
  }

  private static void insert(SampleDatabase db, int rows) {
    stack
        .postgres()
        .execute(
            db.name(),
            "INSERT INTO events SELECT i, md5(i::text) FROM generate_series("
                + "(SELECT max(id) + 1 FROM events), (SELECT max(id) + "
                + rows
                + " FROM events)) i");
  }

  private static boolean slotExists(String slot) throws Exception {
    try (Connection c = stack.postgres().connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  private static void dropSlot(String slot) {
    await("no slot left behind on the shared server")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              stack
                  .postgres()
                  .execute(
                      "postgres",
                      "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                          + " WHERE slot_name = '"
                          + slot
                          + "'");
              return !slotExists(slot);
            });
  }

  private static String metrics(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String ledger(String sql) throws Exception {
    try (Connection c = stack.postgres().connect(LEDGER);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Each worker in a consumer group of its own: streams do not go through Kafka, and a group with a
   * SIGKILLed member would hold the others' close in a rebalance until its session times out.
   */
  private Path config(String workerId, SampleDatabase db, boolean streamed, int metricsPort)
      throws Exception {
    String yaml =
        """
        worker: {id: %s}
        kafka:
          bootstrapServers: "%s"
          topicPrefix: %s
          groupId: %s-group
          properties: {metadata.max.age.ms: "1000"}
        ledger: {url: "%s", user: %s, password: {file: %s}}
        storage:
          endpoint: "%s"
          bucket: %s
          accessKey: {file: %s}
          secretKey: {file: %s}
        runs: {leaseTtl: %ds, maxConcurrent: 1, shutdownGrace: 2s}
        metrics: {enabled: %s, port: %d}
        targets:
          %s:
            host: "%s"
            port: %d
            user: %s
            password: {file: %s}
            sslMode: disable
            operations: [health-check]
            pitr:
              stream: {enabled: %s, partialInterval: 1s}
        """
            .formatted(
                workerId,
                stack.kafka().bootstrapServers(),
                PREFIX,
                workerId,
                stack.postgres().jdbcUrl(LEDGER),
                stack.postgres().superuser(),
                dir.resolve("ledger-password"),
                stack.s3().endpoint(),
                BUCKET,
                dir.resolve("s3-access"),
                dir.resolve("s3-secret"),
                TTL.toSeconds(),
                metricsPort > 0,
                metricsPort > 0 ? metricsPort : 9400,
                db.name(),
                stack.postgres().host(),
                stack.postgres().port(),
                db.owner(),
                dir.resolve("target-password"),
                streamed);
    return Files.writeString(dir.resolve(workerId + ".yaml"), yaml);
  }

  private void writeSecrets(SampleDatabase db) throws Exception {
    Files.writeString(dir.resolve("ledger-password"), stack.postgres().superuserPassword());
    Files.writeString(dir.resolve("s3-access"), stack.s3().accessKey());
    Files.writeString(dir.resolve("s3-secret"), stack.s3().secretKey());
    Files.writeString(dir.resolve("target-password"), db.password());
  }
}
