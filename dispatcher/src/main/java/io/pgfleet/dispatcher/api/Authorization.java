package io.pgfleet.dispatcher.api;

/** Whether an authenticated caller's role allows what it asks; a 403 problem when not. */
final class Authorization {
  private Authorization() {}

  static void requireRole(ApiToken caller, Role needed, String what) {
    if (!caller.role().includes(needed)) {
      throw Problem.of(
              403,
              "forbidden",
              "Forbidden",
              "token "
                  + caller.name()
                  + " has role "
                  + caller.role().configName()
                  + "; "
                  + what
                  + " needs role "
                  + needed.configName())
          .answer();
    }
  }
}
