package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code /logs} page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven
 * by Selenium; nothing is downloaded): it asks for the admin token, shows requests as they complete without a
 * reload, filters them, opens one, sums spend per session and draws the charts. Screenshots of each step go to
 * {@code target/screenshots/}.
 */
class LogsPageBrowserTest {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  private static final String ADMIN_TOKEN = "adm-logs-page-secret";
  private static final Pattern USAGE = Pattern.compile("usage in=(\\d+) out=(\\d+)");
  /** Prices per million tokens, set in the config so the expected costs follow from the reported usage. */
  private static final Map<String, double[]> PRICES = Map.of("anthropic", new double[] {3, 15},
      "openai", new double[] {1.25, 10}, "flaky", new double[] {3, 15}, "down", new double[] {3, 15});
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  /** Selenium warns that it has no DevTools bindings for this Chromium; the test uses WebDriver only. */
  private static final java.util.logging.Logger DEVTOOLS_LOG = java.util.logging.Logger.getLogger(
      "org.openqa.selenium.devtools");

  private static Vertx fakes;
  private static GatewayHarness gateway;
  private static FakeAnthropicUpstream anthropic;
  private static WebDriver browser;
  private static Path profile;
  private final List<Sent> sent = new ArrayList<>();

  /** What one request through the node should look like in the log. */
  record Sent(String id, String key, String session, String provider, int status, long input, long output,
              double cost) {
  }

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "LogsPageBrowserTest SKIPPED: needs /usr/bin/chromium and /usr/bin/chromedriver "
            + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
    fakes = Vertx.vertx();
    Function<JsonObject, Reply> byUsage = body -> {
      Matcher usage = USAGE.matcher(body.encode());
      return usage.find() ? Reply.text("answer from the fake").withUsage(Integer.parseInt(usage.group(1)),
          Integer.parseInt(usage.group(2))) : Reply.text("answer from the fake");
    };
    anthropic = new FakeAnthropicUpstream(fakes).script(byUsage).start().await();
    FakeOpenAiUpstream openai = new FakeOpenAiUpstream(fakes).script(byUsage).start().await();
    FakeAnthropicUpstream broken = new FakeAnthropicUpstream(fakes)
        .script(body -> Reply.error(503, "api_error", "the fake upstream is down")).start().await();
    JsonObject pricing = new JsonObject();
    PRICES.forEach((provider, price) -> pricing.put(provider + "/*", new JsonObject()
        .put("input_per_mtok", price[0]).put("output_per_mtok", price[1])));
    gateway = GatewayHarness.start(new JsonObject()
        .put("admin", new JsonObject().put("token", ADMIN_TOKEN))
        .put("request_log", new JsonObject().put("store", "memory").put("content", true).put("batch_ms", 100))
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-a"))
            .put("openai", GatewayHarness.provider("openai", openai.baseUrl(), "sk-o"))
            .put("flaky", GatewayHarness.provider("anthropic", broken.baseUrl(), "sk-f"))
            .put("down", GatewayHarness.provider("anthropic", broken.baseUrl(), "sk-d")))
        .put("fallbacks", new JsonObject().put("flaky/*", new JsonArray().add("anthropic/claude-sonnet-4-5")))
        .put("pricing", pricing)
        .put("governance", new JsonObject()
            .put("teams", new JsonArray().add(new JsonObject().put("id", "platform"))
                .add(new JsonObject().put("id", "research")))
            .put("virtual_keys", new JsonArray()
                .add(new JsonObject().put("id", "vk-alice").put("value", "tp-vk-alice-secret").put("team", "platform"))
                .add(new JsonObject().put("id", "vk-bob").put("value", "tp-vk-bob-secret").put("team", "research")))));
    Files.createDirectories(SCREENSHOTS);
    browser = startChromium();
  }

  private static WebDriver startChromium() throws IOException {
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    profile = Files.createTempDirectory("turnpike-chromium-");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString()); // Selenium Manager fetches nothing
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Without the background-networking flags Chromium keeps calling out, and this network is closed.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
        "--disable-features=Translate,MediaRouter,OptimizationHints", "--metrics-recording-only",
        "--window-size=1600,1000", "--lang=en-US", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      try {
        List<String> console = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::toString).toList();
        Files.write(SCREENSHOTS.resolve("browser-console.log"), console);
      } catch (RuntimeException ignored) {
        // the console log is a debugging aid only
      }
      browser.quit();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (fakes != null) {
      fakes.close().await();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void should_show_live_requests_filter_them_open_one_and_sum_spend_in_a_real_browser() throws Exception {
    // 1. The page shell loads without the token; the log behind it asks for it.
    browser.get(gateway.url("/logs"));
    WebElement tokenInput = waitVisible(By.id("token-input"));
    screenshot("01-token-form");
    tokenInput.sendKeys(ADMIN_TOKEN);
    browser.findElement(By.id("token-submit")).click();
    waitFor("the live stream connects with the token", () -> "live".equals(text(By.id("live-state"))));
    assertTrue(browser.findElement(By.id("token-dialog")).getAttribute("hidden") != null, "the form is gone");
    assertEquals(ADMIN_TOKEN, js("return sessionStorage.getItem('turnpike.adminToken')"));
    assertFalse(String.valueOf(js("return JSON.stringify(localStorage)")).contains(ADMIN_TOKEN),
        "the token is never kept across sessions");
    assertFalse(browser.getCurrentUrl().contains(ADMIN_TOKEN), "nor put in the URL");
    js("window.__sameDocument = 'no reload since the token';");

    // 2. Requests sent now appear in the open table, without a reload.
    send("vk-alice", "session-one", "claude-sonnet-4-5", false, 1200, 340, "");
    send("vk-alice", "session-one", "claude-sonnet-4-5", true, 800, 120, "");
    send("vk-bob", "session-two", "openai/gpt-5", false, 500, 60, "");
    Sent fallback = send("vk-bob", "session-two", "flaky/claude-x", false, 300, 40,
        " <img src=x onerror=\"window.__injected=1\"><script>window.__injected=2</script>");
    Sent failed = send("vk-alice", "session-one", "down/claude-x", false, 0, 0, "");
    send("vk-bob", "session-two", "openai/gpt-5", true, 900, 210, "");
    waitFor("every request arrives live", () -> rowIds().containsAll(ids(sent)));
    assertEquals("no reload since the token", js("return window.__sameDocument"), "rows came in live");
    assertEquals(503, failed.status());
    assertEquals("503", row(failed.id()).getAttribute("data-status"));
    assertEquals("2", cell(fallback.id(), "attempts").getText(), "primary failed, the fallback answered");
    screenshot("02-live-rows");

    // 3. A status filter keeps only the failures, and keeps filtering rows that arrive afterwards.
    new Select(browser.findElement(By.cssSelector("[data-testid=filter-status]"))).selectByValue("5xx");
    waitFor("only the 5xx row remains", () -> rowIds().equals(Set.of(failed.id())));
    waitFor("the stream reconnects with the filter", () -> "live".equals(text(By.id("live-state"))));
    Sent okWhileFiltered = send("vk-bob", "session-two", "openai/gpt-5", false, 100, 10, "");
    Sent failedWhileFiltered = send("vk-bob", "session-two", "down/claude-x", false, 0, 0, "");
    waitFor("a new failure arrives in the filtered table",
        () -> rowIds().equals(Set.of(failed.id(), failedWhileFiltered.id())));
    assertFalse(rowIds().contains(okWhileFiltered.id()), "a 200 that arrived live is filtered out too");
    for (WebElement row : rows()) {
      assertTrue(row.getAttribute("data-status").startsWith("5"), row.getText());
    }
    screenshot("03-filtered-5xx");

    // A model filter (text, sent to the API) after clearing the status one.
    browser.findElement(By.id("filters-clear")).click();
    waitFor("every row is back", () -> rowIds().containsAll(ids(sent)));
    browser.findElement(By.cssSelector("[data-testid=filter-model]")).sendKeys("openai/gpt-5");
    Set<String> openaiIds = sent.stream().filter(s -> s.provider().equals("openai")).map(Sent::id)
        .collect(Collectors.toSet());
    waitFor("only the openai rows remain", () -> rowIds().equals(openaiIds));
    browser.findElement(By.id("filters-clear")).click();
    waitFor("every row is back again", () -> rowIds().containsAll(ids(sent)));

    // Sorting by a header asks the API for that order.
    Map<String, Double> costs = sent.stream().collect(Collectors.toMap(Sent::id, Sent::cost));
    browser.findElement(By.cssSelector("[data-testid=header-cost_usd]")).click();
    waitFor("rows sorted by cost, dearest first", () -> {
      List<Double> order = rowOrder().stream().map(costs::get).toList();
      return order.size() == sent.size() && order.equals(order.stream().sorted(Comparator.reverseOrder()).toList());
    });
    browser.findElement(By.cssSelector("[data-testid=header-time]")).click();
    waitFor("rows back in time order", () -> rowOrder().size() == sent.size()
        && rowOrder().get(0).equals(sent.get(sent.size() - 1).id()));

    // 4. The detail of the request that failed over: both attempts, timings, tokens and cost as reported.
    row(fallback.id()).click();
    waitVisible(By.cssSelector("[data-testid=detail-attempts]"));
    List<WebElement> attempts = browser.findElements(By.cssSelector("[data-testid=detail-attempt]"));
    assertEquals(2, attempts.size());
    assertNotEquals("answered", attempts.get(0).getAttribute("data-outcome"), "the flaky primary failed");
    assertEquals("answered", attempts.get(1).getAttribute("data-outcome"));
    assertTrue(attempts.get(0).getText().contains("flaky/claude-x"), attempts.get(0).getText());
    assertTrue(attempts.get(1).getText().contains("anthropic/claude-sonnet-4-5"), attempts.get(1).getText());
    assertEquals(300, number(attempts.get(1).findElement(By.cssSelector("[data-testid=attempt-input-tokens]"))));
    assertEquals(40, number(attempts.get(1).findElement(By.cssSelector("[data-testid=attempt-output-tokens]"))));
    assertEquals(300, number(detail("detail-input-tokens")));
    assertEquals(40, number(detail("detail-output-tokens")));
    assertEquals(fallback.cost(), number(detail("detail-cost")), 1e-9);
    assertEquals("$0.001500", detail("detail-cost").getText());
    assertEquals("2", detail("detail-attempt-count").getText());
    assertEquals("anthropic/claude-sonnet-4-5", detail("detail-served").getText());
    assertEquals("vk-bob", detail("detail-virtual-key").getText());
    assertEquals("session-two", detail("detail-session").getText());
    double latency = number(detail("detail-latency"));
    double ended = number(detail("detail-timing-end_ms"));
    assertTrue(latency > 0 && ended > 0, "timings are shown: " + latency + ", " + ended);
    assertTrue(number(detail("detail-timing-routed_ms")) <= ended);
    browser.findElement(By.cssSelector("[data-testid=detail-timeline]"));
    // The content is the client's text: shown as text, never run.
    String content = detail("detail-content-request").getText();
    assertTrue(content.contains("<img src=x onerror="), content);
    assertNull(js("return window.__injected === undefined ? null : window.__injected"), "nothing injected ran");
    assertTrue(browser.findElements(By.cssSelector("#detail-body img, #detail-body script")).isEmpty());
    screenshot("04-detail");
    js("arguments[0].scrollIntoView()", browser.findElement(By.cssSelector("[data-testid=detail-attempts]")));
    screenshot("04-detail-attempts");
    browser.findElement(By.id("detail-close")).click();

    // 5. Spend grouped by session: the sums of what each session's requests reported.
    browser.findElement(By.id("tab-spend")).click();
    new Select(browser.findElement(By.id("spend-group"))).selectByValue("session");
    for (String session : List.of("session-one", "session-two")) {
      List<Sent> mine = sent.stream().filter(s -> s.session().equals(session)).toList();
      waitFor("spend of " + session, () -> spendMatches(session, mine));
    }
    screenshot("05-spend-by-session");
    new Select(browser.findElement(By.id("spend-group"))).selectByValue("virtual_key");
    for (String key : List.of("vk-alice", "vk-bob")) {
      List<Sent> mine = sent.stream().filter(s -> s.key().equals(key)).toList();
      waitFor("spend of " + key, () -> spendMatches(key, mine));
    }
    screenshot("06-spend-by-key");

    // 6. Charts: an SVG per series, its bars adding up to the requests and tokens sent.
    browser.findElement(By.id("tab-charts")).click();
    waitFor("the request bars add up to every request", () -> sum("#chart-requests rect.bar") == sent.size());
    long tokens = sent.stream().mapToLong(s -> s.input() + s.output()).sum();
    waitFor("the token bars add up", () -> Math.round(sum("#chart-tokens rect.bar")) == tokens);
    assertTrue(browser.findElements(By.cssSelector("#chart-latency circle.point")).size() >= 2, "p50 and p90");
    double cost = sent.stream().mapToDouble(Sent::cost).sum();
    assertEquals(cost, sum("#chart-cost rect.bar"), 1e-9);
    screenshot("07-charts");

    // 7. Back to the table for the README's picture: columns can be hidden, and that is remembered.
    browser.findElement(By.id("tab-requests")).click();
    browser.findElement(By.id("columns-button")).click();
    browser.findElement(By.cssSelector("[data-testid=column-toggle-rule]")).click();
    waitFor("the rule column is hidden", () -> browser.findElements(By.cssSelector("[data-testid=header-rule]"))
        .isEmpty());
    assertTrue(String.valueOf(js("return localStorage.getItem('turnpike.logs.hiddenColumns')")).contains("rule"));
    browser.navigate().refresh(); // the tab keeps its token and the browser the layout
    waitFor("the reloaded page shows the rows without asking again", () -> rowIds().containsAll(ids(sent)));
    assertTrue(browser.findElement(By.id("token-dialog")).getAttribute("hidden") != null);
    assertTrue(browser.findElements(By.cssSelector("[data-testid=header-rule]")).isEmpty(), "still hidden");
    browser.findElement(By.id("columns-button")).click();
    browser.findElement(By.cssSelector("[data-testid=column-toggle-rule]")).click();
    waitFor("the rule column is back", () -> !browser.findElements(By.cssSelector("[data-testid=header-rule]"))
        .isEmpty());
    browser.findElement(By.id("columns-button")).click();
    browser.manage().window().setSize(new Dimension(1600, 640)); // the README's picture: the table, not blank space
    screenshot("08-requests");
  }

  @Test
  void should_open_without_a_token_form_when_no_admin_token_is_configured() throws Exception {
    try (GatewayHarness open = GatewayHarness.start(new JsonObject()
        .put("request_log", new JsonObject().put("store", "memory").put("batch_ms", 100))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-a"))))) {
      browser.get(open.url("/logs"));
      waitFor("the stream connects with no token", () -> "live".equals(text(By.id("live-state"))));
      HttpResponse<String> response = open.messages(new JsonObject().put("model", "claude-sonnet-4-5")
          .put("max_tokens", 16).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
              .put("content", "usage in=7 out=3"))).encode());
      String id = response.headers().firstValue("x-turnpike-request-id").orElseThrow();
      waitFor("the request arrives live", () -> rowIds().contains(id));
      assertTrue(browser.findElement(By.id("token-dialog")).getAttribute("hidden") != null, "no form, ever");
      assertNull(js("return sessionStorage.getItem('turnpike.adminToken')"));
      screenshot("09-open-node");
    }
  }

  // ---------- requests through the node ----------

  private Sent send(String key, String session, String model, boolean stream, int input, int output, String extra)
      throws IOException, InterruptedException {
    String body = new JsonObject().put("model", model).put("max_tokens", 256).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "usage in=" + input + " out=" + output + extra))).encode();
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages?beta=true", body, Map.of(
        "x-api-key", "tp-" + key + "-secret", "x-claude-code-session-id", session,
        "anthropic-version", "2023-06-01", "content-type", "application/json",
        "user-agent", "claude-cli/2.1.332 (external, cli)"));
    String id = response.headers().firstValue("x-turnpike-request-id").orElseThrow();
    boolean answered = response.statusCode() == 200;
    String target = answered ? response.headers().firstValue("x-turnpike-target").orElseThrow()
        : model.contains("/") ? model : "anthropic/" + model;
    String provider = target.substring(0, target.indexOf('/'));
    double[] price = PRICES.get(provider);
    double cost = answered ? (input * price[0] + output * price[1]) / 1e6 : 0;
    Sent request = new Sent(id, key, session, provider, response.statusCode(), input, output, cost);
    sent.add(request);
    return request;
  }

  private static Set<String> ids(List<Sent> requests) {
    return requests.stream().map(Sent::id).collect(Collectors.toSet());
  }

  // ---------- reading the page ----------

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#log-rows tr[data-testid=log-row]"));
  }

  private static Set<String> rowIds() {
    Object ids = js("return [...document.querySelectorAll('#log-rows tr[data-testid=log-row]')].map(r => r.dataset.id)");
    return ((List<?>) ids).stream().map(String::valueOf).collect(Collectors.toSet());
  }

  private static List<String> rowOrder() {
    Object ids = js("return [...document.querySelectorAll('#log-rows tr[data-testid=log-row]')].map(r => r.dataset.id)");
    return ((List<?>) ids).stream().map(String::valueOf).toList();
  }

  private static WebElement row(String id) {
    return browser.findElement(By.cssSelector("#log-rows tr[data-id='" + id + "']"));
  }

  private static WebElement cell(String id, String column) {
    return row(id).findElement(By.cssSelector("td[data-col='" + column + "']"));
  }

  private static WebElement detail(String testId) {
    return browser.findElement(By.cssSelector("#detail-body [data-testid=" + testId + "]"));
  }

  private static double number(WebElement element) {
    return Double.parseDouble(element.getAttribute("data-value"));
  }

  private static String text(By by) {
    return browser.findElement(by).getText();
  }

  /** Sum of data-value over the elements a selector finds. */
  private static double sum(String selector) {
    Object total = js("return [...document.querySelectorAll(arguments[0])]"
        + ".reduce((sum, e) => sum + Number(e.dataset.value), 0)", selector);
    return ((Number) total).doubleValue();
  }

  private static boolean spendMatches(String key, List<Sent> mine) {
    List<WebElement> found = browser.findElements(By.cssSelector("#spend-rows tr[data-key='" + key + "']"));
    if (found.size() != 1) {
      return false;
    }
    Map<String, Double> values = new HashMap<>();
    for (WebElement cell : found.get(0).findElements(By.cssSelector("td[data-col][data-value]"))) {
      String value = cell.getAttribute("data-value");
      if (value != null && !value.isEmpty()) {
        values.put(cell.getAttribute("data-col"), Double.parseDouble(value));
      }
    }
    double cost = mine.stream().mapToDouble(Sent::cost).sum();
    return values.getOrDefault("requests", -1.0) == mine.size()
        && values.getOrDefault("errors", -1.0) == mine.stream().filter(s -> s.status() >= 400).count()
        && values.getOrDefault("input_tokens", -1.0) == mine.stream().mapToLong(Sent::input).sum()
        && values.getOrDefault("output_tokens", -1.0) == mine.stream().mapToLong(Sent::output).sum()
        && Math.abs(values.getOrDefault("cost_usd", -1.0) - cost) < 1e-9;
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static WebElement waitVisible(By by) {
    return new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws IOException {
    try {
      new WebDriverWait(browser, PATIENCE).withMessage(what).until(driver -> condition.getAsBoolean());
    } catch (RuntimeException e) {
      screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
      throw e;
    }
  }

  private static void screenshot(String name) throws IOException {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
