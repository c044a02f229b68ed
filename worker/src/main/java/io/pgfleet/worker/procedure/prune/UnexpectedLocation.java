package io.pgfleet.worker.procedure.prune;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;

/** A cataloged base backup lives elsewhere than this worker's store. */
final class UnexpectedLocation extends IllegalStateException {
  UnexpectedLocation(String message) {
    super(message);
  }

  ProcedureFailure failure() {
    return new ProcedureFailure(ErrorCode.STORAGE_FAILED, getMessage());
  }
}
