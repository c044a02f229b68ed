package io.pgfleet.worker.config;

/** The control database that holds the {@code pgfleet} schema. */
public record LedgerSettings(String jdbcUrl, String user, Secret password, int poolSize) {}
