package io.pgfleet.dispatcher.api;

import java.util.List;
import java.util.Optional;

/**
 * Finds the token a request presents ({@code Authorization: Bearer <token>}) among the known ones.
 */
final class Authentication {
  private static final String BEARER = "Bearer ";

  private final List<ApiToken> tokens;

  Authentication(List<ApiToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  /** The caller's token, or a 401 problem. */
  ApiToken require(String authorization) {
    return identify(authorization)
        .orElseThrow(
            () ->
                Problem.of(
                        401,
                        "unauthorized",
                        "Unauthorized",
                        authorization == null
                            ? "send a token: Authorization: Bearer <token>"
                            : "the token is not valid")
                    .answer());
  }

  private Optional<ApiToken> identify(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    byte[] presented = ApiToken.hash(authorization.substring(BEARER.length()).trim());
    ApiToken found = null;
    for (ApiToken token : tokens) { // no early exit: every token is compared
      if (token.matches(presented)) {
        found = token;
      }
    }
    return Optional.ofNullable(found);
  }
}
