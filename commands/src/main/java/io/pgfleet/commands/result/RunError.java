package io.pgfleet.commands.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a run failed or a command was rejected.
 *
 * @param code stable, machine-readable ({@link ErrorCode})
 * @param message a sentence a person can act on; never contains a credential
 * @param retryable whether sending the same command again may succeed
 * @param field the offending field of the command, where one is to blame
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunError(String code, String message, boolean retryable, String field) {

  public static RunError of(ErrorCode code, String message) {
    return new RunError(code.name(), message, code.retryable(), null);
  }

  public static RunError of(ErrorCode code, String message, String field) {
    return new RunError(code.name(), message, code.retryable(), field);
  }
}
