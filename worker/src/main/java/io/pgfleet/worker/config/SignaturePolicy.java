package io.pgfleet.worker.config;

/** Which commands for a target must be signed by a trusted signer. */
public enum SignaturePolicy {
  /** Every command. */
  ALL,
  /** Destructive ones: those that drop, delete, terminate or lock out (the default). */
  DESTRUCTIVE,
  /** None; a signature that is present is still checked. */
  NONE
}
