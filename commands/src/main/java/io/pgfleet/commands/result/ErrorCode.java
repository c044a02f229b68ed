package io.pgfleet.commands.result;

/** Stable error codes of result events. Consumers may switch on them; never rename one. */
public enum ErrorCode {
  // rejections: the command was not executed
  COMMAND_TOO_LARGE(false),
  MALFORMED_COMMAND(false),
  /** Not strict UTF-8, a byte order mark, a NUL: text no store or parser agrees on. */
  INVALID_ENCODING(false),
  INVALID_COMMAND(false),
  UNKNOWN_OPERATION(false),
  UNKNOWN_TARGET(false),
  TARGET_MISMATCH(false),
  OPERATION_NOT_ALLOWED(false),
  UNAUTHORIZED(false),
  /** The id was first used by a different command (target, operation or parameters). */
  COMMAND_ID_CONFLICT(false),

  // failures: the run started and did not succeed
  TARGET_UNREACHABLE(true),
  TARGET_AUTH_FAILED(false),
  TARGET_ERROR(false),
  PG_DUMP_FAILED(false),
  UNKNOWN_OBJECT(false),
  CONFIRMATION_REQUIRED(false),
  PERMISSION_DENIED(false),
  LOCK_TIMEOUT(true),
  STATEMENT_TIMEOUT(false),
  INSUFFICIENT_DISK(false),
  UNKNOWN_POLICY(false),
  CLIENT_TOOL_UNSUITABLE(false),
  ARTIFACT_NOT_FOUND(false),
  INTEGRITY_FAILED(false),
  ENCRYPTION_KEY_UNAVAILABLE(false),
  VERIFICATION_FAILED(false),
  PG_RESTORE_FAILED(false),
  PG_BASEBACKUP_FAILED(false),
  RECOVERY_FAILED(false),
  RESTORE_CONFLICT(false),
  EXTENSION_MISSING(false),
  STORAGE_FAILED(true),
  LEASE_LOST(true),
  INTERRUPTED(true),
  INTERNAL_ERROR(false),
  /** Handling the record kept failing for a reason a retry cannot fix: dead-lettered. */
  HANDLING_FAILED(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
