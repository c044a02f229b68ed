package io.pgfleet.dispatcher;

import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.send.CommandRequest;
import java.time.Instant;
import java.util.Optional;

/** A schedule's operation and params pass the command schemas (checked on a sample target). */
final class ScheduleCheck {
  private ScheduleCheck() {}

  /** What is wrong, with the field in the schedule's terms ({@code (params/compressionLevel)}). */
  static Optional<String> problem(Schedule schedule) {
    CommandRequest sample =
        new CommandRequest(
            schedule.commandId("sample", Instant.EPOCH),
            schedule.source(),
            schedule.operation(),
            "sample",
            schedule.params(),
            Instant.EPOCH,
            null);
    try {
      sample.validate();
      return Optional.empty();
    } catch (CommandRejection e) {
      String field =
          e.error().field() == null
              ? ""
              : " ("
                  + e.error().field().replace("/data", "params").replace("/type", "operation")
                  + ")";
      return Optional.of(field + ": " + e.getMessage());
    }
  }
}
