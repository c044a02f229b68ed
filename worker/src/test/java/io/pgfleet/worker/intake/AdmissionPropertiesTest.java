package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.GeneratedRecords;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Admission over 10,000 generated records: each is either admitted as text the ledger stores (the
 * real PostgreSQL casts it to jsonb and text) or rejected with a code and a printable, bounded
 * reason. Nothing in between, whatever the bytes.
 */
class AdmissionPropertiesTest {
  private static final String TARGET = "gen_db";
  private static final Topics TOPICS = new Topics("gen");
  private static final AtomicInteger ADMITTED = new AtomicInteger();

  private static Admission admission;
  private static Connection ledger;
  private static PreparedStatement storable;

  @BeforeContainer
  static void start() throws SQLException {
    TargetConfig target =
        TargetConfig.builder(TARGET)
            .host("localhost")
            .port(5432)
            .user("nobody")
            .password(Secret.literal("unused"))
            .operations(EnumSet.allOf(Operation.class))
            .build();
    Map<Operation, Procedure> procedures = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      procedures.put(op, new NeverRuns(op));
    }
    admission =
        new Admission(
            TOPICS,
            Map.of(TARGET, new TargetDatabase(target)),
            procedures,
            new SecuritySettings(Map.of(), SignaturePolicy.NONE, Duration.ofHours(1)));
    ledger = LocalStack.shared().postgres().connect("postgres");
    storable = ledger.prepareStatement("SELECT ?::jsonb, ?::text, ?::text, ?::text");
  }

  @AfterContainer
  static void stop() throws SQLException {
    ledger.close();
    assertThat(ADMITTED.get()).as("generated records admitted").isGreaterThan(100);
  }

  @Property(tries = 10_000, seed = "20261206")
  void every_record_is_admitted_as_storable_text_or_rejected_with_a_printable_reason(
      @ForAll("records") byte[] value) throws SQLException {
    Verdict verdict = admission.admit(TOPICS.commands(TARGET), value);
    Statistics.collect(
        verdict instanceof Verdict.Rejected r ? r.error().code() : "admitted and storable");
    if (verdict instanceof Verdict.Admitted a) {
      ADMITTED.incrementAndGet();
      storable.setString(1, a.json());
      storable.setString(2, a.command().id());
      storable.setString(3, a.command().source());
      storable.setString(4, a.command().target());
      storable.executeQuery().close();
      assertThat(a.command().id()).matches("[A-Za-z0-9][A-Za-z0-9._:-]*");
      assertThat(a.command().source()).matches("[\\x21-\\x7e]+");
    } else {
      Verdict.Rejected r = (Verdict.Rejected) verdict;
      assertThat(r.error().code()).matches("[A-Z_]+");
      assertThat(r.error().message()).isNotBlank().hasSizeLessThan(1_500);
      assertThat(r.error().message().chars()).noneMatch(c -> Character.isISOControl(c));
      assertThat(r.error().message().chars()).noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
      assertThat(r.subject()).isEqualTo(TARGET);
    }
  }

  @Provide
  Arbitrary<byte[]> records() {
    return GeneratedRecords.records(TARGET);
  }

  /** Admission needs a procedure per operation; none of them runs here. */
  private record NeverRuns(Operation operation) implements Procedure {
    @Override
    public ProcedureResult execute(RunContext context) {
      throw new AssertionError("admission never executes");
    }
  }
}
