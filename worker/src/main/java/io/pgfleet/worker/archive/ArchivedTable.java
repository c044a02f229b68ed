package io.pgfleet.worker.archive;

/**
 * One table's data in a custom archive.
 *
 * @param offset where its block starts in the archive
 * @param length the block's bytes
 */
public record ArchivedTable(
    int dumpId,
    String schema,
    String table,
    TableDigest.Content content,
    long offset,
    long length) {}
