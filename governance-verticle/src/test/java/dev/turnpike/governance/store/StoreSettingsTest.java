package dev.turnpike.governance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
  @Test
  void should_default_to_an_embedded_file_under_turnpike_data_or_the_variable() {
    List<String> problems = new ArrayList<>();
    StoreSettings plain = StoreSettings.fromConfig(null, null, problems);
    assertEquals(StoreSettings.Kind.EMBEDDED, plain.kind());
    assertEquals(Path.of("turnpike-data").toAbsolutePath().normalize(), plain.dataDir());
    assertEquals("jdbc:sqlite:" + plain.dataDir().resolve("turnpike.db"), plain.jdbcUrl());
    assertEquals(1, plain.writeDelaySeconds());
    assertEquals(Path.of("/var/lib/turnpike"), StoreSettings.fromConfig(null, "/var/lib/turnpike", problems).dataDir());
    assertEquals(Path.of("/srv/tp"), StoreSettings.fromConfig(new JsonObject().put("data_dir", "/srv/tp"),
        "/var/lib/turnpike", problems).dataDir(), "the config wins over the variable");
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void should_take_postgres_urls_in_both_forms_and_never_show_a_password() {
    List<String> problems = new ArrayList<>();
    StoreSettings libpq = StoreSettings.fromConfig(new JsonObject().put("kind", "postgres")
        .put("url", "postgresql://tp:s3cret@db:5432/turnpike"), null, problems);
    assertEquals("jdbc:postgresql://tp:s3cret@db:5432/turnpike", libpq.jdbcUrl());
    assertFalse(libpq.describe().contains("s3cret"), libpq.describe());
    StoreSettings jdbc = StoreSettings.fromConfig(new JsonObject().put("kind", "postgres")
        .put("url", "jdbc:postgresql://db/turnpike?user=tp&password=s3cret").put("pool_size", 8), null, problems);
    assertEquals(8, jdbc.poolSize());
    assertFalse(jdbc.describe().contains("s3cret"), jdbc.describe());
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void should_name_every_problem() {
    List<String> problems = new ArrayList<>();
    StoreSettings.fromConfig(new JsonObject().put("kind", "mysql"), null, problems);
    StoreSettings.fromConfig(new JsonObject().put("kind", "postgres").put("url", "mysql://x"), null, problems);
    StoreSettings.fromConfig(new JsonObject().put("kind", "embedded").put("pool_size", 0).put("colour", "red"),
        null, problems);
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("embedded, postgres or none"), problems.get(0));
    assertTrue(problems.get(1).contains("PostgreSQL URL"), problems.get(1));
    assertTrue(problems.stream().anyMatch(p -> p.contains("store.colour")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("store.pool_size")), problems.toString());
    assertEquals(StoreSettings.Kind.NONE, StoreSettings.fromConfig(new JsonObject().put("kind", "none"), null,
        new ArrayList<>()).kind());
  }
}
