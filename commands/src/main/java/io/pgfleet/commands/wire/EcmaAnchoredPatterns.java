package io.pgfleet.commands.wire;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * JSON Schema patterns with ECMA-262's meaning of a final {@code $}: the end of the string. Java's
 * {@code $} also matches before a final line terminator, so {@code ^[a-z]+$} would accept {@code
 * "x\n"}; here a pattern's unescaped trailing {@code $} becomes {@code \z}.
 */
final class EcmaAnchoredPatterns implements RegularExpressionFactory {
  static final EcmaAnchoredPatterns INSTANCE = new EcmaAnchoredPatterns();

  private EcmaAnchoredPatterns() {}

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = Pattern.compile(anchored(regex));
    return value -> pattern.matcher(value).find();
  }

  static String anchored(String regex) {
    if (regex.endsWith("$") && !escaped(regex, regex.length() - 1)) {
      return regex.substring(0, regex.length() - 1) + "\\z";
    }
    return regex;
  }

  /** Whether the character at {@code index} follows an odd number of backslashes. */
  private static boolean escaped(String regex, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && regex.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }
}
