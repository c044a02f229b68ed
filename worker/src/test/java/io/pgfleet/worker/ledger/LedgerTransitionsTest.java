package io.pgfleet.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.testing.IsolatedFleet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger's state changes go through the one transition table, on the real ledger database. */
class LedgerTransitionsTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static IsolatedFleet fleet;
  private static Ledger ledger;

  @BeforeAll
  static void open() {
    fleet = new IsolatedFleet("lt") {};
    ledger = fleet.add(Ledger.open(fleet.ledger(2)));
  }

  @AfterAll
  static void close() throws Exception {
    fleet.close();
  }

  @Test
  void an_illegal_transition_is_refused_with_its_states_named_and_nothing_is_written()
      throws Exception {
    IdempotencyKey key = key();
    Lease lease = granted(ledger.claim(key, "w1", TTL, "{}"));

    assertThatThrownBy(() -> finish(lease, RunState.QUEUED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a running run cannot become queued");
    assertThatThrownBy(() -> finish(lease, RunState.RUNNING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a run finishes in a terminal state, not running");

    assertThat(ledger.renew(lease, TTL)).as("the run is still running, on this lease").isTrue();
    finish(lease, RunState.SUCCEEDED);
    assertThat(ledger.claim(key, "w2", TTL, "{}"))
        .isInstanceOfSatisfying(
            Claim.AlreadyFinished.class,
            done -> assertThat(done.state()).isEqualTo(RunState.SUCCEEDED));
  }

  @Test
  void
      a_finished_run_stays_finished_because_the_update_matches_only_states_the_table_allows_it_from()
          throws Exception {
    IdempotencyKey key = key();
    Lease lease = granted(ledger.claim(key, "w1", TTL, "{}"));
    finish(lease, RunState.SUCCEEDED);

    assertThatThrownBy(() -> finish(lease, RunState.FAILED)).isInstanceOf(LeaseLostException.class);
    assertThat(ledger.renew(lease, TTL)).isFalse();
    assertThat(ledger.claim(key, "w1", TTL, "{}"))
        .isInstanceOfSatisfying(
            Claim.AlreadyFinished.class,
            done -> assertThat(done.state()).isEqualTo(RunState.SUCCEEDED));
    assertThat(ledger.lastSucceeded(key.target(), key.operation()))
        .hasValueSatisfying(r -> assertThat(r.commandId()).isEqualTo(key.commandId()));
  }

  @Test
  void a_running_run_whose_lease_ran_out_is_taken_over_and_the_old_attempt_can_no_longer_finish()
      throws Exception {
    IdempotencyKey key = key();
    Lease first = granted(ledger.claim(key, "w1", Duration.ofMillis(1), "{}"));
    Thread.sleep(20);

    Lease second = granted(ledger.claim(key, "w2", TTL, "{}"));
    assertThat(second.attempt()).isEqualTo(2);
    assertThatThrownBy(() -> finish(first, RunState.FAILED)).isInstanceOf(LeaseLostException.class);

    ledger.release(second);
    Thread.sleep(20);
    Lease third = granted(ledger.claim(key, "w3", TTL, "{}"));
    assertThat(third.attempt()).isEqualTo(3);
    finish(third, RunState.EXPIRED);
    assertThat(ledger.claim(key, "w1", TTL, "{}"))
        .isInstanceOfSatisfying(
            Claim.AlreadyFinished.class,
            done -> assertThat(done.state()).isEqualTo(RunState.EXPIRED));
  }

  private static IdempotencyKey key() {
    return new IdempotencyKey(UUID.randomUUID().toString(), "db_a", "health-check", "00");
  }

  private static Lease granted(Claim claim) {
    assertThat(claim).isInstanceOf(Claim.Granted.class);
    return ((Claim.Granted) claim).lease();
  }

  private static void finish(Lease lease, RunState state) throws Exception {
    RunReport report =
        RunReport.builder("health-check", lease.worker()).commandId(lease.commandId()).build();
    ledger.finish(
        lease,
        state,
        null,
        Json.mapper().writeValueAsString(report),
        new byte[] {1},
        List.of(),
        List.of());
  }
}
