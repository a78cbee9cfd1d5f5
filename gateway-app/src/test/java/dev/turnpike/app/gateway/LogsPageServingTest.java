package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code /logs} page's files, as the node serves them: without the admin token, only its own, nothing remote. */
class LogsPageServingTest {
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayHarness.start(new JsonObject().put("admin", new JsonObject().put("token", "adm-page-secret"))
        .put("providers", new JsonObject()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void should_serve_the_page_shell_at_logs_with_and_without_the_slash_and_no_token() throws Exception {
    for (String path : new String[] {"/logs", "/logs/"}) {
      HttpResponse<String> page = gateway.get(path);

      assertEquals(200, page.statusCode(), path);
      assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), path);
      assertTrue(page.body().contains("id=\"log-table\""), path);
      assertTrue(page.body().contains("src=\"/logs/logs.js\""), path);
    }
  }

  @Test
  void should_serve_the_script_and_the_style_sheet_with_their_types_and_caching_headers() throws Exception {
    HttpResponse<String> script = gateway.get("/logs/logs.js");
    HttpResponse<String> style = gateway.get("/logs/logs.css");

    assertEquals(200, script.statusCode());
    assertTrue(script.headers().firstValue("content-type").orElse("").contains("javascript"));
    assertTrue(script.body().contains("/api/logs/stream"));
    assertEquals(200, style.statusCode());
    assertTrue(style.headers().firstValue("content-type").orElse("").startsWith("text/css"));
    assertTrue(script.headers().firstValue("cache-control").orElse("").contains("max-age=60"));
    String lastModified = script.headers().firstValue("last-modified").orElse(null);
    assertTrue(lastModified != null, "revalidation needs Last-Modified");

    HttpResponse<String> again = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/logs/logs.js")))
        .header("if-modified-since", lastModified).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(304, again.statusCode(), "an unchanged file is not sent again");
  }

  @Test
  void should_forbid_remote_code_and_framing_in_the_page_headers() throws Exception {
    HttpResponse<String> page = gateway.get("/logs/");
    String policy = page.headers().firstValue("content-security-policy").orElse("");

    assertTrue(policy.contains("script-src 'self'"), policy);
    assertTrue(policy.contains("connect-src 'self'"), policy);
    assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""));
  }

  @Test
  void should_reference_nothing_outside_the_node_in_the_page_files() throws Exception {
    Pattern remote = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
    for (String path : new String[] {"/logs/", "/logs/logs.js", "/logs/logs.css"}) {
      String body = gateway.get(path).body();
      Matcher found = remote.matcher(body.replace("http://www.w3.org/2000/svg", "")); // a name, never fetched
      assertFalse(found.find(), () -> path + " references " + found.group());
    }
  }

  @Test
  void should_neither_list_the_directory_nor_serve_outside_it() throws Exception {
    HttpResponse<String> missing = gateway.get("/logs/nothing-here.js");
    HttpResponse<String> traversal = gateway.get("/logs/..%2F..%2Fcluster.xml");

    assertEquals(404, missing.statusCode());
    assertNotEquals(200, traversal.statusCode());
    assertFalse(traversal.body().contains("hazelcast"), "the classpath outside the web root is not served");
  }

  @Test
  void should_keep_the_data_behind_the_admin_token() throws Exception {
    assertEquals(401, gateway.get("/api/logs").statusCode(), "the page is open, the log is not");
  }
}
