package io.pgfleet.worker.intake;

import io.pgfleet.worker.result.ResultTransactions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record sent in a results transaction; sent again in the next one when a transaction failed. A
 * DLQ copy Kafka refuses as too large is kept in S3 instead next time.
 */
final class Send {
  private static final Logger log = LoggerFactory.getLogger(Send.class);

  private Function<ResultTransactions, Future<RecordMetadata>> how;
  private Function<ResultTransactions, Future<RecordMetadata>> ifTooLarge;
  private Future<RecordMetadata> sent;

  private Send(
      Function<ResultTransactions, Future<RecordMetadata>> how,
      Function<ResultTransactions, Future<RecordMetadata>> ifTooLarge) {
    this.how = how;
    this.ifTooLarge = ifTooLarge;
  }

  static Send of(Function<ResultTransactions, Future<RecordMetadata>> how) {
    return new Send(how, null);
  }

  static Send orIfTooLarge(
      Function<ResultTransactions, Future<RecordMetadata>> how,
      Function<ResultTransactions, Future<RecordMetadata>> ifTooLarge) {
    return new Send(how, ifTooLarge);
  }

  void start(ResultTransactions transaction) {
    sent = how.apply(transaction);
  }

  /** After a failed transaction: whether this send was too large and switched to its stand-in. */
  boolean fellBack() {
    if (ifTooLarge == null || sent == null || !sent.isDone()) {
      return false;
    }
    try {
      sent.get();
      return false;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RecordTooLargeException)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    log.warn("the DLQ copy is too large for Kafka; keeping it in S3");
    how = ifTooLarge;
    ifTooLarge = null;
    return true;
  }
}
