package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgfleet.commands.Printable;
import java.util.List;

/**
 * An error answer in the shape of RFC 9457 (problem details, {@code application/problem+json}).
 * {@code errors} names each offending field: a JSON pointer into the request body, or a query
 * parameter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPES = "https://pgfleet.io/problems/";

  /** A detail may quote what the client sent: never its control characters raw. */
  public Problem {
    detail = Printable.controlsEscaped(detail);
  }

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(TYPES + slug, title, status, detail, null);
  }

  public static Problem invalid(String slug, String title, FieldError error) {
    String where = error.pointer() != null ? error.pointer() : error.parameter();
    return new Problem(TYPES + slug, title, 400, where + ": " + error.detail(), List.of(error));
  }

  public Problem withStatus(int value) {
    return new Problem(type, title, value, detail, errors);
  }

  /** Thrown by handlers; the server answers with the problem. */
  public static final class Answer extends RuntimeException {
    private final transient Problem problem;

    public Answer(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  public Answer answer() {
    return new Answer(this);
  }
}
