package io.pgfleet.worker.config;

import java.time.Duration;

/**
 * A target's override of how long one operation's session may run a statement and wait for a lock
 * ({@code statement_timeout}, {@code lock_timeout}). Null keeps the operation's default; zero means
 * no limit.
 */
public record Timeouts(Duration statement, Duration lock) {}
