package io.pgfleet.worker;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.testing.IsolatedFleet;
import io.pgfleet.worker.config.RestoreSettings;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker tests' {@link IsolatedFleet}: a worker config for its sample databases, a publisher,
 * and a reader of the results topic.
 */
final class Fleet extends IsolatedFleet {
  Fleet(String... samples) {
    super("t", samples);
  }

  TargetConfig targetConfig(String sample, Secret password) {
    SampleDatabase db = databases.get(sample);
    return TargetConfig.builder(db.name())
        .host(stack.postgres().host())
        .port(stack.postgres().port())
        .user(db.owner())
        .password(password)
        .sslMode("disable")
        .operations(EnumSet.allOf(Operation.class))
        .restore(restoreAsSuperuser(false))
        .build();
  }

  /** Restores manage databases as the local superuser; drills use the target's own server. */
  RestoreSettings restoreAsSuperuser(boolean allowOverwrite, String... allowedSources) {
    return new RestoreSettings(
        allowOverwrite,
        true,
        true,
        new ServerLogin(
            null,
            null,
            stack.postgres().superuser(),
            Secret.literal(stack.postgres().superuserPassword()),
            "disable",
            null),
        null,
        Set.of(allowedSources));
  }

  WorkerConfig workerConfig(String workerId, UnaryOperator<TargetConfig> adjust) {
    // Signatures are proven in AuthorizationTest; elsewhere destructive commands go unsigned.
    return workerConfig(
        workerId,
        adjust,
        new SecuritySettings(Map.of(), SignaturePolicy.NONE, Duration.ofHours(1)));
  }

  WorkerConfig workerConfig(
      String workerId, UnaryOperator<TargetConfig> adjust, SecuritySettings security) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    databases.forEach(
        (sample, db) ->
            targets.put(
                db.name(), adjust.apply(targetConfig(sample, Secret.literal(db.password())))));
    return new WorkerConfig(
        workerId,
        kafka("workers"),
        ledger(4),
        new StorageSettings(
            stack.s3().endpoint(),
            stack.s3().region(),
            bucket,
            "backups",
            true,
            Secret.literal(stack.s3().accessKey()),
            Secret.literal(stack.s3().secretKey()),
            StorageSettings.MIN_PART_SIZE,
            0),
        new RunSettings(
            Duration.ofSeconds(10),
            2,
            Duration.ofMillis(200),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(300)),
        security,
        targets);
  }

  Worker startWorker(String workerId) {
    return add(Worker.start(workerConfig(workerId, UnaryOperator.identity())));
  }

  Worker startWorker(WorkerConfig config) {
    return add(Worker.start(config));
  }

  /** A worker whose clock is {@code clock} (time-based decisions: expiry, retention). */
  Worker startWorker(WorkerConfig config, java.time.Clock clock) {
    return add(Worker.start(config, clock));
  }

  ResultStream results() {
    return add(new ResultStream(stack.kafka().bootstrapServers(), topics.results()));
  }

  ResultStream deadLetters() {
    return add(new ResultStream(stack.kafka().bootstrapServers(), topics.dlq()));
  }

  CommandPublisher publisher() {
    return add(CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of()));
  }

  /** Sends arbitrary bytes to a topic, as a buggy or hostile producer would. */
  org.apache.kafka.clients.producer.RecordMetadata sendRaw(String topic, byte[] value) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      return producer.send(new ProducerRecord<>(topic, "raw", value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }

  S3Client s3() {
    return add(
        S3Client.builder()
            .endpointOverride(stack.s3().endpoint())
            .region(Region.of(stack.s3().region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
            .build());
  }
}
