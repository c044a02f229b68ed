package io.pgfleet.worker.ledger;

/**
 * A change to the backup catalog a procedure asks for in its result: applied with the run's
 * terminal state, in the same lease-fenced transaction, so a run that lost its lease changes
 * nothing.
 */
public record CatalogChange(Kind kind, String uri) {
  public enum Kind {
    /** A restore drill of the artifact passed. */
    VERIFIED,
    /** Retention deleted the artifact. */
    PRUNED
  }

  public static CatalogChange verified(String uri) {
    return new CatalogChange(Kind.VERIFIED, uri);
  }

  public static CatalogChange pruned(String uri) {
    return new CatalogChange(Kind.PRUNED, uri);
  }
}
