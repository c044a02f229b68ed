package io.pgfleet.dispatcher.send;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends validated commands to the fleet and records each as a queued run, so the API shows it
 * before any worker has reported on it.
 */
public final class CommandSender {
  private final CommandPublisher publisher;
  private final RunStore runs;
  private final Clock clock;
  private final Optional<CommandSigner> signer;
  private final DispatcherMetrics metrics;
  private final MetadataPrefetch metadata;

  public CommandSender(
      CommandPublisher publisher,
      RunStore runs,
      Clock clock,
      Optional<CommandSigner> signer,
      DispatcherMetrics metrics) {
    this.publisher = publisher;
    this.runs = runs;
    this.clock = clock;
    this.signer = signer;
    this.metrics = metrics;
    this.metadata = new MetadataPrefetch(publisher);
  }

  /**
   * Starts fetching the Kafka metadata of these targets' command topics in the background (at
   * start, when the targets are known), so that the first firing for them does not wait for it.
   */
  public void prefetch(Collection<String> targets) {
    metadata.start(targets);
  }

  /**
   * Publishes the command and marks its run published once Kafka acknowledged it. Publishing the
   * same id again is harmless: the workers' ledger runs an id once.
   */
  public CompletableFuture<Void> send(Command command) {
    return sendAll(List.of(command)).get(0);
  }

  /**
   * Sends a batch: the metadata of every topic fetched together, the runs recorded in one
   * transaction, the commands published together, and the acknowledged ones marked published in one
   * statement, off the producer's I/O thread.
   *
   * @return one future per command, in order: done once that command is acknowledged and marked
   */
  public List<CompletableFuture<Void>> sendAll(List<Command> commands) {
    if (commands.size() > 1) {
      metadata.await(commands.stream().map(Command::target).toList());
    }
    runs.recordRequests(commands, clock.instant());
    List<CompletableFuture<Void>> acks = commands.stream().map(this::publish).toList();
    CompletableFuture<Void> marked =
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
            .handleAsync(
                (all, failure) -> {
                  List<String> ids = new ArrayList<>();
                  for (int i = 0; i < commands.size(); i++) {
                    if (!acks.get(i).isCompletedExceptionally()) {
                      ids.add(commands.get(i).id());
                    }
                  }
                  runs.markPublished(ids, clock.instant());
                  return null;
                });
    return acks.stream().map(ack -> ack.thenCombine(marked, (a, m) -> (Void) null)).toList();
  }

  private CompletableFuture<Void> publish(Command command) {
    return (signer.isPresent()
            ? publisher.publish(command, signer.get())
            : publisher.publish(command))
        .whenComplete(
            (sent, failure) -> {
              if (failure == null) {
                metrics.published(command);
              } else {
                metrics.publishFailed(command);
              }
            })
        .thenApply(sent -> null);
  }

  public void flush() {
    publisher.flush();
  }
}
