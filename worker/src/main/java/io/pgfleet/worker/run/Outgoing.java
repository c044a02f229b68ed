package io.pgfleet.worker.run;

import io.pgfleet.commands.result.Origin;

/**
 * A result event a run leaves to the intake, which publishes it in the transaction that commits the
 * offset of the run's command record.
 *
 * @param commandId the command whose ledger row holds this event, to mark it published once Kafka
 *     has it; null for an event the ledger does not hold (a duplicate)
 * @param settledWith for an event the ledger held unpublished: the record whose offset commit was
 *     to carry it. If the group's committed offset is past that record, the transaction that
 *     carried the event committed (an offset moves past a record only together with its results),
 *     and the event is not published again; null for an event to publish unconditionally
 */
public record Outgoing(String target, byte[] event, String commandId, Origin settledWith) {}
