package io.pgfleet.dev.faults;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalS3;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Looks at the ledger and the bucket from outside, as the assertions of fault scenarios do. */
final class Probes {
  private Probes() {}

  static long count(LocalPostgres server, String database, String sql) throws Exception {
    try (Connection c = server.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static S3Client s3(LocalS3 local) {
    return S3Client.builder()
        .endpointOverride(local.endpoint())
        .region(Region.of(local.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(local.accessKey(), local.secretKey())))
        .build();
  }

  static List<String> keys(S3Client s3, String bucket, String containing) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .filter(k -> k.contains(containing))
        .toList();
  }

  static int openUploads(S3Client s3, String bucket) {
    return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
  }

  /** Sends raw bytes to a topic, as a buggy or hostile producer would. */
  static void sendRaw(String bootstrap, String topic, byte[] value) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
    p.put(
        "value.serializer",
        org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(p)) {
      producer
          .send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "raw", value))
          .get();
    }
  }

  /**
   * A producer of raw keys and values, records up to 2 MiB: what the broker refuses is its concern,
   * not the client's.
   */
  static org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> rawProducer(
      String bootstrap) {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.request.size", String.valueOf(2 * 1024 * 1024));
    String bytes = org.apache.kafka.common.serialization.ByteArraySerializer.class.getName();
    p.put("key.serializer", bytes);
    p.put("value.serializer", bytes);
    return new org.apache.kafka.clients.producer.KafkaProducer<>(p);
  }

  /**
   * ANALYZE of {@link #tinyDatabase}'s one table: a whole-database ANALYZE also samples every
   * system catalog, which costs the scenarios that run hundreds of them most of their CPU.
   */
  static final AnalyzeParams TINY_TABLE_ANALYZE = new AnalyzeParams(List.of("events"));

  /** A tiny database (one table, a few rows) owned by its own role: cheap to back up. */
  static io.pgfleet.local.SampleFleet.SampleDatabase tinyDatabase(LocalPostgres pg, String name) {
    String owner = name + "_user";
    String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    pg.createRole(owner, password);
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    pg.createDatabase(name, owner);
    pg.execute(
        name,
        "SET ROLE "
            + owner
            + "; CREATE TABLE events (id int PRIMARY KEY, body text);"
            + " INSERT INTO events SELECT i, md5(i::text) FROM generate_series(1, 20) i");
    return new io.pgfleet.local.SampleFleet.SampleDatabase(name, owner, password);
  }
}
