package io.pgfleet.dispatcher.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A bearer token the API accepts, known only by its SHA-256: the config never needs the token
 * itself ({@code printf %s "$TOKEN" | sha256sum}).
 *
 * @param name who holds it; commands it submits have source {@code urn:pgfleet:api:<name>}
 */
public record ApiToken(String name, Role role, byte[] sha256) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public ApiToken {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid token name '" + name + "': use letters, digits, '.', '_' or '-'");
    }
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException("token " + name + ": sha256 must be 32 bytes");
    }
    sha256 = sha256.clone();
  }

  /** A token given by its hex SHA-256. */
  public static ApiToken ofHash(String name, Role role, String hexSha256) {
    String hex = hexSha256 == null ? "" : hexSha256.trim().toLowerCase(java.util.Locale.ROOT);
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "token " + name + ": sha256 must be 64 hex digits (printf %s TOKEN | sha256sum)");
    }
    return new ApiToken(name, role, HexFormat.of().parseHex(hex));
  }

  /** A token given in clear (from a secret); only its hash is kept. */
  public static ApiToken ofSecret(String name, Role role, String token) {
    return new ApiToken(name, role, hash(token));
  }

  /** Whether {@code presented} is this token; the comparison takes the same time either way. */
  public boolean matches(byte[] presentedHash) {
    return MessageDigest.isEqual(sha256, presentedHash);
  }

  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public String source() {
    return "urn:pgfleet:api:" + name;
  }

  @Override
  public String toString() {
    return "ApiToken[" + name + ", " + role.configName() + "]";
  }
}
