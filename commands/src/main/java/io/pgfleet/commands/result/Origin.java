package io.pgfleet.commands.result;

/** Where a command record was read. */
public record Origin(String topic, int partition, long offset) {}
