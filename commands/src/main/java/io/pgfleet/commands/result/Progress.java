package io.pgfleet.commands.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How far a long run is; {@code bytesEstimated} is absent when nothing estimates it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(long bytesDone, Long bytesEstimated, Double bytesPerSecond) {}
