package io.pgfleet.worker.discovery;

import java.time.Instant;

/**
 * A discovered target no longer served: its database was dropped, renamed, made a template or
 * closed to connections on {@code server} at about {@code at}.
 */
public record Retirement(String target, String server, Instant at) {}
