package io.pgfleet.commands;

/** The typed {@code data} of a command; one record per {@link Operation}. */
public interface OperationParams {}
