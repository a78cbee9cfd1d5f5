package dev.turnpike.edge;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The {@code /logs} page: plain HTML, CSS and JS from the classpath ({@code turnpike-web/logs/}), nothing fetched
 * from elsewhere, so it works on a closed network. The files hold no data, so they are served without the admin
 * token; the page sends it to {@code /api/logs*}, which the admin guard protects.
 */
final class LogsPage {
  static final String WEB_ROOT = "turnpike-web/logs";
  /** Short: a node upgrade reaches open browsers within a minute; revalidation (Last-Modified) makes it cheap. */
  private static final long MAX_AGE_SECONDS = 60;
  // The page's own files and same-origin API calls only: content shown from the log can never load or run anything.
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private LogsPage() {
  }

  static void mount(Router router) {
    StaticHandler files = StaticHandler.create(FileSystemAccess.RELATIVE, WEB_ROOT)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setCachingEnabled(true)
        .setMaxAgeSeconds(MAX_AGE_SECONDS)
        .setIndexPage("index.html");
    // Vert.x matches "/logs" for "/logs/" too: only the bare path is rerouted, or the reroute would loop.
    router.get("/logs").handler(ctx -> {
      if (ctx.request().path().equals("/logs")) {
        ctx.reroute("/logs/");
      } else {
        ctx.next();
      }
    });
    router.get("/logs/*").handler(LogsPage::securityHeaders).handler(files);
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY");
    ctx.next();
  }
}
