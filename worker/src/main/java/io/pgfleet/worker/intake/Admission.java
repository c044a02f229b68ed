package io.pgfleet.worker.intake;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.CommandRecord;
import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.run.CommandTime;
import io.pgfleet.worker.target.TargetDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a command record may be executed: it must decode and validate, arrive on its
 * target's topic, name a configured target, and ask for an operation that target allows. Nothing
 * touches a database before this says yes.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private static final String UNKNOWN = "unknown";

  private final CommandCodec codec = new CommandCodec();
  private final Topics topics;
  private final Map<String, TargetDatabase> targets;
  private final Map<io.pgfleet.commands.Operation, Procedure> procedures;
  private final Authorization authorization;
  private final CommandTime time;

  Admission(
      Topics topics,
      Map<String, TargetDatabase> targets,
      Map<io.pgfleet.commands.Operation, Procedure> procedures,
      SecuritySettings security) {
    this(topics, targets, procedures, security, Clock.systemUTC());
  }

  /**
   * @param clock the worker's clock, which a command's {@code time} may not run ahead of
   */
  Admission(
      Topics topics,
      Map<String, TargetDatabase> targets,
      Map<io.pgfleet.commands.Operation, Procedure> procedures,
      SecuritySettings security,
      Clock clock) {
    this.topics = topics;
    this.targets = targets;
    this.procedures = procedures;
    this.authorization = new Authorization(security);
    this.time = new CommandTime(security.clockSkew(), Duration.ZERO, clock);
  }

  /** Admission's verdict; a record that makes admission throw (a bug) is dead-lettered at once. */
  Verdict admitOrDeadLetter(ConsumerRecord<byte[], byte[]> record, Clock clock) {
    try {
      return admit(record.topic(), CommandRecord.of(record, clock));
    } catch (RuntimeException e) {
      log.error(
          "admission of {}-{}@{} threw", record.topic(), record.partition(), record.offset(), e);
      return new Verdict.Rejected(
          RunError.of(
              ErrorCode.HANDLING_FAILED,
              "the worker could not read the command: " + Printable.cut(String.valueOf(e), 300)),
          null,
          "unknown",
          topics.targetOf(record.topic()).filter(TargetName::isValid).orElse("unknown"));
    }
  }

  Verdict admit(String topic, byte[] value) {
    return admit(topic, CommandRecord.structured(value));
  }

  Verdict admit(String topic, CommandRecord record) {
    String topicTarget = topics.targetOf(topic).filter(TargetName::isValid).orElse(UNKNOWN);
    CommandCodec.Received received;
    try {
      received = codec.decodeReceived(record);
    } catch (CommandRejection r) {
      return new Verdict.Rejected(
          r.error(), r.commandId().orElse(null), r.operation().orElse(UNKNOWN), topicTarget);
    }
    Command command = received.command();
    String operation = command.operation().wireName();
    if (!command.target().equals(topicTarget)) {
      return reject(
          command,
          topicTarget,
          RunError.of(
              ErrorCode.TARGET_MISMATCH,
              "the command is for target '"
                  + command.target()
                  + "' but arrived on "
                  + Printable.quote(topic)
                  + "; publish it to "
                  + topics.commands(command.target()),
              "/subject"));
    }
    TargetDatabase target = targets.get(command.target());
    if (target == null) {
      return reject(
          command,
          topicTarget,
          RunError.of(
              ErrorCode.UNKNOWN_TARGET,
              "no target '" + command.target() + "' is configured in this worker",
              "/subject"));
    }
    Procedure procedure = procedures.get(command.operation());
    if (procedure == null) {
      return reject(
          command,
          topicTarget,
          RunError.of(
              ErrorCode.UNKNOWN_OPERATION,
              "this worker cannot execute '" + operation + "'",
              "/type"));
    }
    if (!target.config().allows(command.operation())) {
      return reject(
          command,
          topicTarget,
          RunError.of(
              ErrorCode.OPERATION_NOT_ALLOWED,
              "target '"
                  + command.target()
                  + "' does not allow '"
                  + operation
                  + "'; add it to the target's operations in the worker config if it should",
              "/type"));
    }
    Optional<RunError> denied =
        time.checkNotFromTheFuture(command)
            .or(() -> authorization.check(topic, received, target.config(), procedure));
    if (denied.isPresent()) {
      return reject(command, topicTarget, denied.get());
    }
    return new Verdict.Admitted(command, received.json(), procedure, target);
  }

  private static Verdict reject(Command command, String subject, RunError error) {
    return new Verdict.Rejected(error, command.id(), command.operation().wireName(), subject);
  }
}
