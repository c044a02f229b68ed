package io.pgfleet.dispatcher;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.CommandPublisher;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import java.time.Clock;
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
  }

  /**
   * Publishes the command and marks its run published once Kafka acknowledged it. Publishing the
   * same id again is harmless: the workers' ledger runs an id once.
   */
  public CompletableFuture<Void> send(Command command) {
    runs.recordRequest(command, clock.instant());
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
        .thenAccept(sent -> runs.markPublished(command.id(), clock.instant()));
  }

  public void flush() {
    publisher.flush();
  }
}
