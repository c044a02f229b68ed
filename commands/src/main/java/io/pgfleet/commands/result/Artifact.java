package io.pgfleet.commands.result;

/**
 * An object a run stored, complete: its manifest exists.
 *
 * @param kind e.g. {@code logical}
 * @param uri {@code s3://bucket/key}
 */
public record Artifact(String kind, String uri, String manifestUri, long bytes, String sha256) {}
