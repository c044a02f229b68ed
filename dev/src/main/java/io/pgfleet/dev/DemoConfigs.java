package io.pgfleet.dev;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.DispatcherConfig;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.TrustedSigner;
import io.pgfleet.worker.config.WorkerConfig;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The demo's worker and dispatcher, configured for the local stack. */
final class DemoConfigs {
  private DemoConfigs() {}

  /**
   * The local worker config, with the runbooks' retention policies on the sample databases and the
   * demo operator's key trusted: purges that keep no archive are destructive, so signed.
   */
  static WorkerConfig worker(
      LocalStack stack, Topics topics, List<SampleDatabase> databases, PublicKey operator) {
    WorkerConfig base =
        LocalWorkerConfigs.of(
            stack, "demo-worker", topics, Demo.BUCKET, Demo.LEDGER_DATABASE, databases);
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    base.targets()
        .forEach(
            (name, t) -> {
              TargetConfig.Builder b = t.toBuilder();
              DemoPurges.policiesFor(name).forEach(b::purgePolicy);
              targets.put(name, b.build());
            });
    SecuritySettings security =
        new SecuritySettings(
            Map.of(
                DemoPurges.SIGNER,
                new TrustedSigner(DemoPurges.SIGNER, operator, Set.of(), List.of("*"))),
            SignaturePolicy.DESTRUCTIVE,
            Duration.ofHours(1));
    return new WorkerConfig(
        base.workerId(),
        base.kafka(),
        base.ledger(),
        base.storage(),
        base.runs(),
        security,
        targets,
        base.encryption(),
        base.metrics());
  }

  static DispatcherConfig dispatcher(LocalStack stack, Topics topics, String token) {
    return new DispatcherConfig(
        "demo-dispatcher",
        new KafkaSettings(
            stack.kafka().bootstrapServers(), topics, topics.prefix() + "-dispatcher", Map.of()),
        new LedgerSettings(
            stack.postgres().jdbcUrl(Demo.LEDGER_DATABASE),
            stack.postgres().superuser(),
            Secret.literal(stack.postgres().superuserPassword()),
            4),
        new InetSocketAddress("127.0.0.1", 0),
        List.of(ApiToken.ofSecret("demo", Role.OPERATOR, token)),
        new FleetSettings(true, TargetPolicy.defaults(), Map.of()),
        SchedulingSettings.defaults(),
        List.of());
  }
}
