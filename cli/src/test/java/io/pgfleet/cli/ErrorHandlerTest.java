package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorHandlerTest {

  @Test
  void an_exception_without_a_message_says_what_and_where_never_null() {
    Exception npe;
    try {
      Object nothing = null;
      nothing.hashCode();
      throw new AssertionError("unreachable");
    } catch (NullPointerException e) {
      npe = new NullPointerException();
      npe.setStackTrace(e.getStackTrace());
    }
    assertThat(ErrorHandler.message(npe))
        .startsWith("NullPointerException at io.pgfleet.cli.ErrorHandlerTest.")
        .contains("PGFLEET_DEBUG=1")
        .isNotEqualTo("null");
  }

  @Test
  void a_message_quoting_hostile_bytes_is_escaped_and_cut_line_by_line() {
    String message =
        "cannot read worker config x.yaml:\n\u001b]0;pwned\u0007" + "z".repeat(5000) + "\nlast";
    String shown = ErrorHandler.message(new IllegalStateException(message));
    assertThat(shown.lines()).hasSize(3);
    assertThat(shown).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\u001b");
    assertThat(shown.lines().toList().get(1)).hasSizeLessThan(600).endsWith("...");
    assertThat(shown).endsWith("last");
  }
}
