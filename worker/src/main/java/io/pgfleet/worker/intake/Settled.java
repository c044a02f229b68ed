package io.pgfleet.worker.intake;

import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;

/**
 * A command record settled here: what goes to Kafka in one transaction with its offset, and the
 * commands whose ledger rows may be marked published once it committed.
 *
 * @param eventsFirst the last event the run sent outside the transaction (started, progress), to be
 *     on Kafka before the event that ends the run; null when there is none
 */
record Settled(
    TopicPartition partition,
    long offset,
    List<Send> sends,
    List<String> published,
    Future<?> eventsFirst) {}
