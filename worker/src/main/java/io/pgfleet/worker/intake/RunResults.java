package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Origin;
import io.pgfleet.worker.run.Outgoing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The record of a run that ended, settled with the events the run left to publish. */
final class RunResults {
  private RunResults() {}

  /**
   * An event the ledger held unpublished is left out when the group's committed offset is past the
   * record it was to be settled with: offsets move past a record only in the transaction that
   * carries its results, so that transaction committed and only the ledger's mark was missing.
   * Otherwise it is sent now (the committed offset is read stable: an open transaction of the
   * previous owner is waited for).
   */
  static Settled settled(
      TopicPartition tp,
      long offset,
      List<Outgoing> outgoing,
      Future<?> eventsFirst,
      Settlement settlement,
      Consumer<?, ?> consumer) {
    List<Send> sends = new ArrayList<>();
    List<String> published = new ArrayList<>();
    for (Outgoing o : outgoing) {
      if (o.commandId() != null) {
        published.add(o.commandId());
      }
      // The record it was to be settled with may still be waiting here for its transaction (the
      // partition's next record starts meanwhile): that transaction carries it, or its retry.
      if (o.settledWith() == null
          || !(settlement.carries(o.settledWith()) || committedPast(o.settledWith(), consumer))) {
        sends.add(Send.of(tx -> tx.send(o.target(), o.event())));
      }
    }
    return new Settled(tp, offset, sends, published, eventsFirst);
  }

  private static boolean committedPast(Origin record, Consumer<?, ?> consumer) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
    return committed != null && committed.offset() > record.offset();
  }
}
