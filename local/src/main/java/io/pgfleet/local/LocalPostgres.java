package io.pgfleet.local;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL cluster made with the machine's own server binaries (initdb, then pg_ctl) and run as
 * a child process on 127.0.0.1.
 *
 * <p>The superuser {@code postgres} logs in over TCP with a password generated at initdb; the
 * cluster accepts replication connections and runs with {@code wal_level=replica}, so pg_dump,
 * pg_basebackup and WAL archiving work against it. When the JVM runs as root, the server runs as
 * the OS user {@code postgres}. A shutdown hook stops a server the JVM did not stop itself.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final String SUPERUSER = "postgres";

  private final Path dir;
  private final Path binDir;
  private final ServerUser serverUser;
  private final PostgresDirectories dirs;
  private final PostgresControl control;
  private final int port;
  private final String password;
  private final Thread shutdownHook = new Thread(this::stopAtExit, "pgfleet-postgres-stop");
  private boolean running;
  private boolean closed;

  private LocalPostgres(Path dir, Path binDir, ServerUser serverUser) {
    this.dir = dir;
    this.binDir = binDir;
    this.serverUser = serverUser;
    this.dirs = PostgresDirectories.create(dir, serverUser);
    this.control = new PostgresControl(binDir, serverUser, dirs);
    this.port = FreePort.pick();
    this.password = randomPassword();
  }

  /**
   * Initializes a cluster under {@code dir} and starts it.
   *
   * @param dir directory owned by this cluster; {@link #close()} deletes it
   * @throws IllegalStateException when no server binaries are installed, naming the package
   */
  public static LocalPostgres start(Path dir) {
    return builder().start(dir);
  }

  /** For clusters with extra postgresql.conf settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Extra postgresql.conf settings for a cluster, e.g. {@code setting("archive_mode", "on")}. */
  public static final class Builder {
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {}

    /** Sets {@code name = 'value'} in postgresql.conf, overriding the local defaults. */
    public Builder setting(String name, String value) {
      if (!SETTING_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a PostgreSQL setting name: " + name);
      }
      settings.put(name, value);
      return this;
    }

    /** Initializes a cluster under {@code dir} with these settings and starts it. */
    public LocalPostgres start(Path dir) {
      Path binDir = PostgresBinaries.locate();
      ServerUser serverUser = ServerUser.forThisProcess();
      LocalPostgres postgres =
          new LocalPostgres(Directories.create(dir.toAbsolutePath()), binDir, serverUser);
      try {
        postgres.control.initdb(SUPERUSER, postgres.password);
        PostgresConfig.write(
            postgres.dataDir(),
            PostgresConfig.settings(postgres.port, postgres.socketDir(), settings));
        postgres.start();
        return postgres;
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    }
  }

  /** Always {@code "127.0.0.1"}. */
  public String host() {
    return FreePort.LOOPBACK;
  }

  public int port() {
    return port;
  }

  public String superuser() {
    return SUPERUSER;
  }

  public String superuserPassword() {
    return password;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + host()
        + ":"
        + port
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** A new connection as the superuser over TCP with the password. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** Runs {@code sql} as the superuser; an SQLException comes back as IllegalStateException. */
  public void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("failed in database " + database + ": " + sql, e);
    }
  }

  /**
   * Makes sure a login role {@code name} exists with {@code password}: creates it, or sets the
   * password of an existing one.
   */
  public void createRole(String name, String password) {
    String verb = exists("select 1 from pg_roles where rolname = ?", name) ? "ALTER" : "CREATE";
    execute(
        "postgres",
        verb
            + " ROLE "
            + SqlQuoting.identifier(name)
            + " WITH LOGIN PASSWORD "
            + SqlQuoting.literal(password));
  }

  /** Makes sure database {@code name} exists and belongs to role {@code owner}. */
  public void createDatabase(String name, String owner) {
    String database = SqlQuoting.identifier(name);
    String role = SqlQuoting.identifier(owner);
    if (exists("select 1 from pg_database where datname = ?", name)) {
      execute("postgres", "ALTER DATABASE " + database + " OWNER TO " + role);
    } else {
      execute("postgres", "CREATE DATABASE " + database + " OWNER " + role);
    }
  }

  /** The server binaries in use: initdb, pg_ctl, postgres, pg_basebackup, ... */
  public Path binDir() {
    return binDir;
  }

  /**
   * The cluster's data directory. Usually below the directory given at start; when the JVM runs as
   * root and the {@code postgres} OS user cannot reach that directory, a directory under /tmp.
   */
  public Path dataDir() {
    return dirs.dataDir();
  }

  /** The server log written by pg_ctl. */
  public Path logFile() {
    return dirs.logFile();
  }

  /** Where the server's unix socket lives (a short path, as socket paths are limited). */
  public Path socketDir() {
    return dirs.socketDir();
  }

  /**
   * {@code command} as it must be run to act on the data directory: unchanged, or, when the JVM
   * runs as root, run as the OS user {@code postgres} through setpriv.
   */
  public List<String> serverUserCommand(List<String> command) {
    return serverUser.command(command);
  }

  /** Starts the server again after {@link #stop()}, on the same port with the same data. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("this LocalPostgres is closed");
    }
    if (running) {
      return;
    }
    control.start();
    running = true;
    registerShutdownHook();
  }

  /** Stops the server with {@code pg_ctl stop -m fast}; the data stays. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    control.stop();
    running = false;
  }

  /** Stops the server and deletes its directories. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      unregisterShutdownHook();
      dirs.delete();
      Directories.deleteTree(dir);
    }
  }

  private boolean exists(String query, String name) {
    try (Connection connection = connect("postgres");
        PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("failed: " + query, e);
    }
  }

  /** Run by the shutdown hook for a cluster nobody closed: the data stays, the socket dir goes. */
  private synchronized void stopAtExit() {
    try {
      stop();
      Directories.deleteTree(dirs.socketDir());
    } catch (RuntimeException e) {
      System.err.println("pgfleet: could not stop PostgreSQL on port " + port + ": " + e);
    }
  }

  private void registerShutdownHook() {
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalArgumentException alreadyRegistered) {
      // registered by an earlier start()
    }
  }

  private void unregisterShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting; the hook may be the caller
    }
  }

  private static String randomPassword() {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
