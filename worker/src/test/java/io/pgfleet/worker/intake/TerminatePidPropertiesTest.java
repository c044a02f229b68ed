package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.target.TargetDatabase;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The pids of a terminate-backends command as a producer may send them: only positive 32-bit
 * integers in a non-empty list of distinct ones get past admission; everything else (zero,
 * negative, beyond 2^31-1, fractions, strings, nulls, objects, an empty or bare value) is rejected
 * as INVALID_COMMAND pointing at the pids, before any worker looks at a session.
 */
class TerminatePidPropertiesTest {
  private static final String TARGET = "pid_db";
  private static final Topics TOPICS = new Topics("pid");
  private static final AtomicLong IDS = new AtomicLong();
  private static final String MAX = String.valueOf(Integer.MAX_VALUE);

  private final Admission admission =
      new Admission(
          TOPICS,
          Map.of(TARGET, new TargetDatabase(target())),
          Map.of(Operation.TERMINATE_BACKENDS, new NeverRuns()),
          new SecuritySettings(Map.of(), SignaturePolicy.NONE, Duration.ofHours(1)));

  @Property(tries = 2_000, seed = "20261206")
  void an_invalid_pid_is_rejected_with_a_pointer_to_it(@ForAll("invalidPids") String pids) {
    Verdict verdict = admit(pids);

    Statistics.collect(pids.length() > 12 ? "long" : pids);
    assertThat(verdict).as(pids).isInstanceOf(Verdict.Rejected.class);
    Verdict.Rejected rejected = (Verdict.Rejected) verdict;
    assertThat(rejected.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(rejected.error().field()).as(rejected.error().message()).startsWith("/data/pids");
    assertThat(rejected.error().message()).isNotBlank().hasSizeLessThan(1_500);
  }

  @Property(tries = 500, seed = "20261206")
  void a_positive_32_bit_pid_is_admitted_as_it_was_sent(
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int pid) {
    Verdict verdict = admit("[" + pid + "]");

    assertThat(verdict).isInstanceOf(Verdict.Admitted.class);
    TerminateBackendsParams params =
        ((Verdict.Admitted) verdict).command().params(TerminateBackendsParams.class);
    assertThat(params.pids()).containsExactly(pid);
  }

  @Provide
  Arbitrary<String> invalidPids() {
    Arbitrary<String> badNumber =
        Arbitraries.oneOf(
            Arbitraries.integers().lessOrEqual(0).map(String::valueOf),
            Arbitraries.longs().greaterOrEqual(Integer.MAX_VALUE + 1L).map(String::valueOf),
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(19), BigInteger.TEN.pow(40))
                .map(String::valueOf),
            Arbitraries.integers().between(1, 1_000_000).map(i -> i + ".5"),
            Arbitraries.of(
                "\"123\"", "\"abc\"", "\"\"", "true", "null", "{}", "[1]", "-0.5", "1e40"));
    Arbitrary<String> goodNumber =
        Arbitraries.integers().between(1, 4_194_304).map(String::valueOf);
    Arbitrary<String> listWithABadOne =
        Arbitraries.integers()
            .between(0, 2)
            .flatMap(
                at ->
                    Arbitraries.oneOf(badNumber, Arbitraries.just(MAX + "1"))
                        .flatMap(
                            bad ->
                                goodNumber
                                    .list()
                                    .ofSize(2)
                                    .uniqueElements()
                                    .map(good -> list(good, at, bad))));
    return Arbitraries.oneOf(
        listWithABadOne,
        goodNumber.map(p -> p), // a bare number, not a list
        Arbitraries.of("[]", "\"1,2\"", "{}", "[5,5]", "[" + MAX + "," + MAX + "]"));
  }

  private static String list(List<String> good, int at, String bad) {
    List<String> all = new java.util.ArrayList<>(good);
    all.add(Math.min(at, all.size()), bad);
    return "[" + String.join(",", all) + "]";
  }

  private Verdict admit(String pids) {
    String json =
        "{\"specversion\":\"1.0\",\"id\":\"pid-"
            + IDS.incrementAndGet()
            + "\",\"source\":\"urn:gen\",\"type\":\"io.pgfleet.command.terminate-backends.v1\","
            + "\"subject\":\""
            + TARGET
            + "\",\"time\":\""
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\",\"data\":{\"action\":\"terminate\",\"dryRun\":true,\"pids\":"
            + pids
            + "}}";
    return admission.admit(TOPICS.commands(TARGET), json.getBytes(StandardCharsets.UTF_8));
  }

  private static TargetConfig target() {
    return TargetConfig.builder(TARGET)
        .host("localhost")
        .port(5432)
        .user("nobody")
        .password(Secret.literal("unused"))
        .operations(EnumSet.allOf(Operation.class))
        .build();
  }

  /** Admission needs the procedure; it never runs here. */
  private static final class NeverRuns implements Procedure {
    @Override
    public Operation operation() {
      return Operation.TERMINATE_BACKENDS;
    }

    @Override
    public ProcedureResult execute(RunContext context) {
      throw new AssertionError("admission never executes");
    }
  }
}
