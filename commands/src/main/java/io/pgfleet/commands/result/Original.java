package io.pgfleet.commands.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** For a duplicate: the terminal state the command id already reached. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Original(String outcome, Integer attempt, Instant finishedAt) {}
