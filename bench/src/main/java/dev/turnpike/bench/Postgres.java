package dev.turnpike.bench;

import java.net.InetAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The local PostgreSQL a peer gateway keeps its state in. {@code TURNPIKE_BENCH_POSTGRES} (default
 * {@code postgresql://postgres@127.0.0.1:5432/test}) names the server and a database to connect to for
 * administration; each run gives the peer a database of its own, dropped and created again, so it never meets
 * Turnpike's tables or an earlier run's spend. Only loopback addresses are accepted.
 */
public final class Postgres {
  public static final String ENV = "TURNPIKE_BENCH_POSTGRES";
  private static final String DEFAULT = "postgresql://postgres@127.0.0.1:5432/test";

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String adminDatabase;

  private Postgres(String host, int port, String user, String password, String adminDatabase) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.adminDatabase = adminDatabase;
  }

  /** The server named by {@link #ENV}, or the default. */
  public static Postgres fromEnv() {
    String url = System.getenv(ENV);
    return parse(url == null || url.isBlank() ? DEFAULT : url.trim());
  }

  static Postgres parse(String url) {
    URI uri = URI.create(url);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(ENV + " must be postgresql://user[:password]@host:port/database: " + url);
    }
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalArgumentException(ENV + " must name a loopback address (the benchmark contacts nothing "
          + "else): " + host);
    }
    String user = "postgres";
    String password = null;
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      user = parts[0];
      password = parts.length > 1 ? parts[1] : null;
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return new Postgres(host, uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, db);
  }

  /** Where it is, for messages (no password). */
  public String describe() {
    return user + "@" + host + ":" + port;
  }

  /** Drops {@code database} (closing its sessions) and creates it empty; answers the server's version. */
  public String recreate(String database) throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection c = connect(adminDatabase); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"); // WITH (FORCE): PostgreSQL 13+
      st.execute("CREATE DATABASE " + database);
      try (ResultSet rs = st.executeQuery("SHOW server_version")) {
        return rs.next() ? rs.getString(1) : "?";
      }
    }
  }

  /** The URL the peer is configured with. */
  public String url(String database) {
    String credentials = password == null ? user : user + ":" + password;
    return "postgres://" + credentials + "@" + host + ":" + port + "/" + database;
  }

  private Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "5");
    p.setProperty("ApplicationName", "turnpike-bench");
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
  }
}
