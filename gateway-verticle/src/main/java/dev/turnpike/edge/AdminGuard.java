package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards {@code /api/admin/*} with {@code admin.token} ({@code TURNPIKE_ADMIN_TOKEN} in the defaults), sent as
 * {@code Authorization: Bearer <token>}. Without a configured token the admin API is open, as on a developer's
 * machine; a shared deployment sets one.
 */
final class AdminGuard {
  private final byte[] token;

  AdminGuard(String token) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  void handle(RoutingContext ctx) {
    if (token == null) {
      ctx.next();
      return;
    }
    String presented = Credentials.of(ctx.request());
    // Constant-time comparison, so response timing does not reveal how much of a guess was right.
    if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      ClientResponses.error(ctx.response(), Failure.of(FailureCode.UNAUTHENTICATED,
          "The admin API needs Authorization: Bearer <admin token>"));
    }
  }
}
