package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PostgresTest {
  @Test
  void theDefaultIsTheLocalServerAsPostgres() {
    Postgres pg = Postgres.parse("postgresql://postgres@127.0.0.1:5432/test");
    assertEquals("postgres@127.0.0.1:5432", pg.describe());
    assertEquals("postgres://postgres@127.0.0.1:5432/claude_gateway_bench", pg.url("claude_gateway_bench"));
  }

  @Test
  void credentialsAndPortCarryOver() {
    assertEquals("postgres://u:p@localhost:6543/x", Postgres.parse("postgres://u:p@localhost:6543/admin").url("x"));
  }

  @Test
  void onlyLoopbackIsAccepted() {
    assertThrows(IllegalArgumentException.class, () -> Postgres.parse("postgresql://postgres@10.0.0.5:5432/test"));
    assertThrows(IllegalArgumentException.class, () -> Postgres.parse("mysql://root@127.0.0.1/test"));
  }
}
