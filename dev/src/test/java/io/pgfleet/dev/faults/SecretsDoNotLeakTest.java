package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Passwords, keys and tokens never appear in result events, DLQ records and headers, log lines (at
 * DEBUG for pgfleet), or what the ledger keeps, over runs that succeed, fail and are rejected.
 */
@Tag("faults")
class SecretsDoNotLeakTest {
  private static final String WRONG_PASSWORD = "Wr0ng-pa55word-that-must-not-leak";

  @Test
  void no_output_channel_of_a_full_run_contains_a_secret() throws Exception {
    LocalStack stack = LocalStack.shared();
    SampleDatabase good = Probes.tinyDatabase(stack.postgres(), "leak_good_db");
    SampleDatabase bad = Probes.tinyDatabase(stack.postgres(), "leak_bad_db");
    stack
        .postgres()
        .execute(
            good.name(),
            "CREATE TABLE locked (id int); REVOKE ALL ON locked FROM PUBLIC"); // pg_dump fails on
    // it
    SampleDatabase dumpable = Probes.tinyDatabase(stack.postgres(), "leak_ok_db");
    stack.s3().createBucket("leak");
    stack.postgres().createDatabase("leak_ledger", stack.postgres().superuser());
    Topics topics = new Topics("leak");
    WorkerConfig base =
        LocalWorkerConfigs.of(
            stack, "leak-w", topics, "leak", "leak_ledger", List.of(good, bad, dumpable));
    Map<String, TargetConfig> targets = new HashMap<>(base.targets());
    targets.put(
        bad.name(),
        targets.get(bad.name()).toBuilder().password(Secret.literal(WRONG_PASSWORD)).build());
    WorkerConfig config = base.withTargets(targets);

    ListAppender<ILoggingEvent> logs = captureLogs();
    ByteArrayOutputStream jsonLog = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> jsonLogs = captureJsonLogs(jsonLog);
    List<String> secrets =
        List.of(
            good.password(),
            bad.password(),
            dumpable.password(),
            WRONG_PASSWORD,
            stack.postgres().superuserPassword(),
            stack.s3().secretKey());
    try (ResultStream results =
            new ResultStream(stack.kafka().bootstrapServers(), topics.results());
        ResultStream dlq = new ResultStream(stack.kafka().bootstrapServers(), topics.dlq());
        Worker worker = Worker.start(config);
        CommandPublisher publisher =
            CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of())) {
      List<Command> commands =
          List.of(
              Commands.backup(dumpable.name()).build(), // succeeds
              Commands.backup(good.name()).build(), // pg_dump fails: permission denied
              Commands.backup(bad.name()).build()); // wrong password
      for (Command c : commands) {
        publisher.publish(c).join();
      }
      Probes.sendRaw(
          stack.kafka().bootstrapServers(),
          topics.commands(good.name()),
          ("{\"password\":\"" + good.password() + "\"}").getBytes(StandardCharsets.UTF_8));
      for (Command c : commands) {
        results.awaitTerminal(c.id());
      }
      results.awaitCount(e -> e.outcome() == io.pgfleet.commands.result.Outcome.REJECTED, 1);

      List<String> channels = new ArrayList<>();
      results.records().forEach(r -> channels.add(text(r)));
      logs.list.forEach(
          e ->
              channels.add(
                  e.getFormattedMessage()
                      + (e.getThrowableProxy() == null
                          ? ""
                          : ThrowableProxyUtil.asString(e.getThrowableProxy()))));
      channels.addAll(ledgerTexts(stack));
      List<JsonNode> jsonLines = jsonLines(jsonLog);
      jsonLines.forEach(line -> channels.add(line.toString()));
      assertThat(jsonLines)
          .as("the run's state changes carry its ids as JSON fields")
          .anySatisfy(
              line -> {
                assertThat(line.at("/mdc/commandId").asText()).isEqualTo(commands.get(0).id());
                assertThat(line.at("/mdc/target").asText()).isEqualTo(dumpable.name());
                assertThat(line.at("/mdc/operation").asText()).isEqualTo("backup");
                assertThat(line.path("formattedMessage").asText()).contains("succeeded");
              });
      assertThat(channels).hasSizeGreaterThan(10);
      for (String channel : channels) {
        for (String secret : secrets) {
          assertThat(channel).as("a secret leaked").doesNotContain(secret);
        }
      }
      // The DLQ keeps the rejected record unchanged: what a producer wrote is its own business,
      // but pgfleet's headers add nothing secret to it.
      dlq.records()
          .forEach(
              r ->
                  r.headers()
                      .forEach(
                          h ->
                              secrets.forEach(
                                  s ->
                                      assertThat(new String(h.value(), StandardCharsets.UTF_8))
                                          .doesNotContain(s))));
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .detachAppender(jsonLogs);
    }
  }

  /** Logs as a deployment does with PGFLEET_LOG_FORMAT=json (pgfleet-log-json.xml's encoder). */
  private static OutputStreamAppender<ILoggingEvent> captureJsonLogs(ByteArrayOutputStream out) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  /** Every line parsed: one that is not a JSON object fails the test. */
  private static List<JsonNode> jsonLines(ByteArrayOutputStream out) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    String all;
    synchronized (out) {
      all = out.toString(StandardCharsets.UTF_8);
    }
    for (String line : all.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = mapper.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        lines.add(node);
      }
    }
    assertThat(lines).isNotEmpty();
    return lines;
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    context.getLogger("io.pgfleet").setLevel(Level.DEBUG);
    context.getLogger("com.zaxxer.hikari").setLevel(Level.DEBUG);
    context.getLogger("org.flywaydb").setLevel(Level.DEBUG);
    return appender;
  }

  private static String text(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder b = new StringBuilder(new String(r.value(), StandardCharsets.UTF_8));
    for (Header h : r.headers()) {
      b.append('\n')
          .append(h.key())
          .append('=')
          .append(new String(h.value(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static List<String> ledgerTexts(LocalStack stack) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = stack.postgres().connect("leak_ledger");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(error_message,'') || coalesce(report::text,'') || coalesce(command::text,'')"
                    + " || coalesce(convert_from(result_event, 'UTF8'),'') FROM pgfleet.runs")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
