package io.pgfleet.worker.intake;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A command record settled here: what goes to Kafka in one transaction with its offset, and the
 * commands whose ledger rows may be marked published once it committed.
 */
record Settled(TopicPartition partition, long offset, List<Send> sends, List<String> published) {}
