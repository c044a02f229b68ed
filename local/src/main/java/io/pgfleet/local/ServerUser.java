package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operating-system user that runs initdb, pg_ctl and the server. PostgreSQL refuses to run as
 * root, so a JVM running as root hands these commands to the {@code postgres} user (through {@code
 * setpriv}) and gives that user the files it needs; any other user runs them itself.
 */
final class ServerUser {

  static final String POSTGRES = "postgres";

  private final UserPrincipal user;
  private final GroupPrincipal group;

  private ServerUser(UserPrincipal user, GroupPrincipal group) {
    this.user = user;
    this.group = group;
  }

  static ServerUser forThisProcess() {
    if (!runningAsRoot()) {
      return new ServerUser(null, null);
    }
    UserPrincipalLookupService lookup =
        Path.of("/").getFileSystem().getUserPrincipalLookupService();
    try {
      return new ServerUser(
          lookup.lookupPrincipalByName(POSTGRES), lookup.lookupPrincipalByGroupName(POSTGRES));
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException(
          "Running as root, and PostgreSQL refuses to run as root: an OS user and group '"
              + POSTGRES
              + "' are needed to run the server (`apt-get install -y postgresql-15` creates them)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not look up the OS user " + POSTGRES, e);
    }
  }

  /** True when commands are handed to another user, i.e. this JVM runs as root. */
  boolean switchesUser() {
    return user != null;
  }

  /** {@code command}, run as this user. */
  List<String> command(List<String> command) {
    if (!switchesUser()) {
      return List.copyOf(command);
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add("setpriv");
    wrapped.add("--reuid=" + POSTGRES);
    wrapped.add("--regid=" + POSTGRES);
    wrapped.add("--init-groups");
    wrapped.addAll(command);
    return List.copyOf(wrapped);
  }

  /** Makes this user the owner of {@code path} (nothing to do when it is the JVM's own user). */
  void own(Path path) {
    if (!switchesUser()) {
      return;
    }
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
      view.setOwner(user);
      view.setGroup(group);
    } catch (IOException e) {
      throw new UncheckedIOException("could not give " + path + " to " + POSTGRES, e);
    }
  }

  /**
   * Whether this user can get from / down to {@code dir}. For an ancestor that others cannot
   * traverse, {@code mayOpen} decides whether it may be opened up with o+x (traverse only, no
   * listing); if not, the answer is false and nothing has changed.
   */
  boolean reach(Path dir, Predicate<Path> mayOpen) {
    if (!switchesUser()) {
      return true;
    }
    List<Path> closed = new ArrayList<>();
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (!permissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        if (!mayOpen.test(p)) {
          return false;
        }
        closed.add(p);
      }
    }
    for (Path p : closed) {
      Set<PosixFilePermission> permissions = permissions(p);
      permissions.add(PosixFilePermission.OTHERS_EXECUTE);
      try {
        Files.setPosixFilePermissions(p, permissions);
      } catch (IOException e) {
        throw new UncheckedIOException("could not let " + POSTGRES + " traverse " + p, e);
      }
    }
    return true;
  }

  private static Set<PosixFilePermission> permissions(Path p) {
    try {
      return Files.getPosixFilePermissions(p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read permissions of " + p, e);
    }
  }

  private static boolean runningAsRoot() {
    try {
      // /proc/self belongs to this process's effective user.
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
