package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import java.sql.SQLException;

/** One item of the health checklist, named and judged by its {@link HealthLimit}. */
interface Check {
  HealthLimit limit();

  /**
   * Measures and judges.
   *
   * @throws SQLException when the check cannot run (privilege, extension, server version): the
   *     finding then says so with status unknown
   */
  Finding run(Probe probe) throws SQLException;

  default String name() {
    return limit().key();
  }

  /** A check written as a method reference. */
  static Check of(HealthLimit limit, Body body) {
    return new Check() {
      @Override
      public HealthLimit limit() {
        return limit;
      }

      @Override
      public Finding run(Probe probe) throws SQLException {
        return body.run(probe);
      }
    };
  }

  /** The measuring part of a check. */
  @FunctionalInterface
  interface Body {
    Finding run(Probe probe) throws SQLException;
  }
}
