package io.pgfleet.commands;

/** Renders untrusted text for an error message: bounded, control characters escaped. */
public final class Printable {
  private static final int MAX = 80;

  private Printable() {}

  /** Untrusted text without quotes: control and format characters escaped, at most 300 long. */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(300).forEach(cp -> append(out, cp));
    return out.toString();
  }

  /** Untrusted text without quotes, escaped as {@link #clean}, cut at {@code max} with "...". */
  public static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(max).forEach(cp -> append(out, cp));
    if (text.codePointCount(0, text.length()) > max) {
      out.append("...");
    }
    return out.toString();
  }

  private static void append(StringBuilder out, int cp) {
    if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || cp > 0x7e) {
      out.append(String.format("\\u%04x", cp));
    } else {
      out.appendCodePoint(cp);
    }
  }

  /**
   * Text with its control and format characters escaped (as {@code \\u001b}), nothing cut: for text
   * that is already bounded and may hold any other character (an error answer's detail).
   */
  public static String controlsEscaped(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> appendControlEscaped(out, cp));
    return out.toString();
  }

  private static void appendControlEscaped(StringBuilder out, int cp) {
    if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
      out.append(String.format("\\u%04x", cp));
    } else {
      out.appendCodePoint(cp);
    }
  }

  public static String quote(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    text.codePoints().limit(MAX).forEach(cp -> appendControlEscaped(out, cp));
    if (text.codePointCount(0, text.length()) > MAX) {
      out.append("...");
    }
    return out.append('\'').toString();
  }
}
