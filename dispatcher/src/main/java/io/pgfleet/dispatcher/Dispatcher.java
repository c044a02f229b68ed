package io.pgfleet.dispatcher;

import static io.pgfleet.runtime.Resources.add;
import static io.pgfleet.runtime.Resources.closeAll;

import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.api.HttpApi;
import io.pgfleet.dispatcher.api.ScheduleView;
import io.pgfleet.dispatcher.fleet.FleetStatus;
import io.pgfleet.dispatcher.fleet.Projection;
import io.pgfleet.dispatcher.fleet.ResultsConsumer;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.fleet.TargetDirectory;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import io.pgfleet.dispatcher.schedule.FireLog;
import io.pgfleet.dispatcher.schedule.Leadership;
import io.pgfleet.dispatcher.schedule.ScheduleIds;
import io.pgfleet.dispatcher.schedule.ScheduleRunner;
import io.pgfleet.dispatcher.send.CommandSender;
import io.pgfleet.runtime.ControlDatabase;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.metrics.MetricsEndpoint;
import io.pgfleet.runtime.metrics.ReadinessChecks;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher: fires the schedules (when it leads), answers the HTTP API, serves the status page,
 * and keeps the fleet's state current from the result events. Run as many as you like against the
 * same ledger: one leads, all serve.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatcherConfig config;
  private final List<AutoCloseable> resources;
  private final ScheduleRunner runner;
  private final HttpApi api;
  private final MetricsEndpoint endpoint;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Dispatcher(
      DispatcherConfig config,
      List<AutoCloseable> resources,
      ScheduleRunner runner,
      HttpApi api,
      MetricsEndpoint endpoint) {
    this.config = config;
    this.resources = resources;
    this.runner = runner;
    this.api = api;
    this.endpoint = endpoint;
  }

  public static Dispatcher start(DispatcherConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts with the given clock, which decides when schedules are due and how old backups are. */
  public static Dispatcher start(DispatcherConfig config, Clock clock) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      KafkaSettings kafka = config.kafka();
      Topics topics = kafka.topics();
      ensureResultsTopic(kafka);
      DataSource ledger =
          add(resources, ControlDatabase.pool(config.ledger(), "pgfleet-dispatcher"));
      DispatcherMetrics metrics = new DispatcherMetrics();
      DispatcherSchema.migrate(ledger);
      RunStore runs = new RunStore(ledger);
      add(
          resources,
          new ResultsConsumer(
              kafka.bootstrapServers(),
              topics.results(),
              kafka.groupId(),
              kafka.properties(),
              new Projection(ledger),
              metrics));
      TargetDirectory directory =
          add(
              resources,
              new TargetDirectory(
                  config.fleet(), topics, kafka.bootstrapServers(), kafka.properties()));
      CommandPublisher publisher =
          add(
              resources,
              CommandPublisher.connect(kafka.bootstrapServers(), topics, kafka.properties()));
      CommandSender sender = new CommandSender(publisher, runs, clock, config.signing(), metrics);
      // In the background: listing discovered targets may take a while, and start must not wait.
      java.util.concurrent.CompletableFuture.runAsync(() -> sender.prefetch(directory.names()));
      Leadership leadership =
          add(resources, new Leadership(ledger, topics.prefix(), config.dispatcherId()));
      metrics.leadership(leadership::leads);
      FireLog fireLog = new FireLog(ledger, config.dispatcherId());
      ScheduleRunner runner =
          new ScheduleRunner(
              config.schedules(),
              config.scheduling(),
              leadership,
              fireLog,
              directory,
              sender,
              clock,
              metrics,
              ScheduleIds.stored(ledger));
      HttpApi api =
          add(
              resources,
              HttpApi.start(
                  config.listen(),
                  config.tokens(),
                  sender,
                  runs,
                  directory,
                  new FleetStatus(ledger, directory, runs, clock),
                  new ScheduleView(config.schedules(), fireLog, clock),
                  clock,
                  metrics));
      MetricsEndpoint endpoint =
          config.metrics().enabled()
              ? add(resources, endpoint(config, metrics, ledger, resources))
              : null;
      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "pgfleet-schedules");
                t.setDaemon(true);
                return t;
              });
      resources.add(ticker::shutdownNow);
      long every = config.scheduling().tick().toMillis();
      ticker.scheduleWithFixedDelay(() -> safeTick(runner), every, every, TimeUnit.MILLISECONDS);
      log.info(
          "dispatcher {} serving {} with {} schedule(s)",
          config.dispatcherId(),
          api.uri(),
          config.schedules().size());
      return new Dispatcher(config, resources, runner, api, endpoint);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /** Metrics and probes: ready while Kafka and the ledger answer. */
  private static MetricsEndpoint endpoint(
      DispatcherConfig config,
      DispatcherMetrics metrics,
      DataSource ledger,
      List<AutoCloseable> resources) {
    Admin admin = add(resources, ReadinessChecks.admin(config.kafka()));
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(
            config.metrics().port(),
            metrics::scrape,
            ReadinessChecks.kafkaAndLedger(admin, ledger));
    log.info("metrics and health on port {}", endpoint.port());
    return endpoint;
  }

  private static void safeTick(ScheduleRunner runner) {
    try {
      runner.tick();
    } catch (RuntimeException e) {
      log.warn("schedule tick failed: {}", e.getMessage());
    }
  }

  /** Where the API and the status page are. */
  public URI uri() {
    return api.uri();
  }

  /** The port of {@code /metrics} and the health endpoints; -1 when they are off. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  public DispatcherConfig config() {
    return config;
  }

  /**
   * Handles due schedule instants now, as the timer does every {@code scheduling.tick}: for tests
   * that move a settable clock (the testing module's {@code SettableClock}).
   *
   * @return commands sent (0 when another dispatcher leads)
   */
  public int tick() {
    return runner.tick();
  }

  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  private static void ensureResultsTopic(KafkaSettings kafka) {
    Properties props = new Properties();
    props.putAll(kafka.properties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              List.of(new NewTopic(kafka.topics().results(), Optional.empty(), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic " + kafka.topics().results() + ": " + e.getCause().getMessage(),
            e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + kafka.bootstrapServers() + " did not answer within 30 s", e);
    }
  }

  @Override
  public void close() {
    closeAll(resources);
    stopped.countDown();
    log.info("dispatcher {} stopped", config.dispatcherId());
  }
}
