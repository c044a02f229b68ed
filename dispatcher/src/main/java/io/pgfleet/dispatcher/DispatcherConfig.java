package io.pgfleet.dispatcher;

import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Everything a dispatcher needs, checked once when it is built.
 *
 * @param kafka {@code groupId} is the results projection's consumer group
 * @param ledger the workers' ledger database: the dispatcher keeps its tables beside theirs
 * @param listen where the HTTP API and status page listen; port 0 picks a free one
 * @param signer signs every command the dispatcher sends (schedules and API requests, which the API
 *     has already authorized by role); null to send them unsigned
 * @param metrics the operations endpoint: {@code /metrics}, {@code /health/live}, {@code
 *     /health/ready}
 */
public record DispatcherConfig(
    String dispatcherId,
    KafkaSettings kafka,
    LedgerSettings ledger,
    InetSocketAddress listen,
    List<ApiToken> tokens,
    FleetSettings fleet,
    SchedulingSettings scheduling,
    List<Schedule> schedules,
    CommandSigner signer,
    MetricsSettings metrics) {
  public static final String DEFAULT_GROUP_SUFFIX = "-dispatcher";

  /** Beside a worker's 9400, so both fit on one host. */
  public static final int DEFAULT_METRICS_PORT = 9401;

  /** A dispatcher without the operations endpoint. */
  public DispatcherConfig(
      String dispatcherId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      InetSocketAddress listen,
      List<ApiToken> tokens,
      FleetSettings fleet,
      SchedulingSettings scheduling,
      List<Schedule> schedules,
      CommandSigner signer) {
    this(
        dispatcherId,
        kafka,
        ledger,
        listen,
        tokens,
        fleet,
        scheduling,
        schedules,
        signer,
        MetricsSettings.DISABLED);
  }

  /** A dispatcher that sends its commands unsigned. */
  public DispatcherConfig(
      String dispatcherId,
      KafkaSettings kafka,
      LedgerSettings ledger,
      InetSocketAddress listen,
      List<ApiToken> tokens,
      FleetSettings fleet,
      SchedulingSettings scheduling,
      List<Schedule> schedules) {
    this(dispatcherId, kafka, ledger, listen, tokens, fleet, scheduling, schedules, null);
  }

  public DispatcherConfig withMetrics(MetricsSettings settings) {
    return new DispatcherConfig(
        dispatcherId,
        kafka,
        ledger,
        listen,
        tokens,
        fleet,
        scheduling,
        schedules,
        signer,
        settings);
  }

  public Optional<CommandSigner> signing() {
    return Optional.ofNullable(signer);
  }

  public DispatcherConfig {
    tokens = List.copyOf(tokens);
    schedules = List.copyOf(schedules);
    metrics = metrics == null ? MetricsSettings.DISABLED : metrics;
    long distinct = schedules.stream().map(Schedule::name).distinct().count();
    if (distinct != schedules.size()) {
      throw new IllegalArgumentException("schedule names must be unique");
    }
  }
}
