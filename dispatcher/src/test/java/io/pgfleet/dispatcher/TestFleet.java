package io.pgfleet.dispatcher;

import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.testing.IsolatedFleet;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher tests' {@link IsolatedFleet}: three API tokens and dispatchers started against it
 * (workers: {@code FleetWorkers} in the dev module, which may depend on the worker).
 */
public final class TestFleet extends IsolatedFleet {
  public static final String READER = "reader-token";
  public static final String REQUESTER = "requester-token";
  public static final String OPERATOR = "operator-token";

  public TestFleet(String... samples) {
    super("d", samples);
  }

  public List<SampleDatabase> databases() {
    return List.copyOf(databases.values());
  }

  public LedgerSettings ledger() {
    return ledger(6);
  }

  /** A dispatcher config: the fleet's targets (RPO 26 h), three tokens, the given schedules. */
  public DispatcherConfig dispatcherConfig(
      String dispatcherId, Duration missedHorizon, List<Schedule> schedules) {
    Map<String, TargetPolicy> policies = new LinkedHashMap<>();
    targets().forEach(t -> policies.put(t, TargetPolicy.ofRpo(Duration.ofHours(26))));
    return new DispatcherConfig(
        dispatcherId,
        kafka("dispatcher"),
        ledger(),
        new InetSocketAddress("127.0.0.1", 0),
        List.of(
            ApiToken.ofSecret("grafana", Role.READ_ONLY, READER),
            ApiToken.ofSecret("order-service", Role.REQUESTER, REQUESTER),
            ApiToken.ofSecret("dba", Role.OPERATOR, OPERATOR)),
        new FleetSettings(false, TargetPolicy.defaults(), policies),
        new SchedulingSettings(missedHorizon, Duration.ofHours(1)),
        schedules);
  }

  public Dispatcher startDispatcher(DispatcherConfig config, Clock clock) {
    return add(Dispatcher.start(config, clock));
  }
}
