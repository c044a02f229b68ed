package io.pgfleet.cli;

import picocli.CommandLine;

/** The version printed by {@code pgfleet --version}. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"pgfleet " + (version == null ? "development build" : version)};
  }
}
