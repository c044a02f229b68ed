package io.pgfleet.worker.storage;

import java.util.Map;

/** A small object read whole, with the user metadata stored with it. */
public record ObjectContent(byte[] bytes, Map<String, String> metadata) {}
