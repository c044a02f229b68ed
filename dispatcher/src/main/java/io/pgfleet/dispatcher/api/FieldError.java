package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgfleet.commands.Printable;

/**
 * One offending field of a {@link Problem}: a JSON pointer into the request body, or a query
 * parameter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String parameter, String detail) {
  /** A pointer, a parameter and a detail may quote what the client sent: escaped. */
  public FieldError {
    pointer = Printable.controlsEscaped(pointer);
    parameter = Printable.controlsEscaped(parameter);
    detail = Printable.controlsEscaped(detail);
  }

  public static FieldError body(String pointer, String detail) {
    return new FieldError(pointer, null, detail);
  }

  public static FieldError query(String parameter, String detail) {
    return new FieldError(null, parameter, detail);
  }
}
