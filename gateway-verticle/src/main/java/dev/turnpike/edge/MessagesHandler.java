package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LocalReply;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.config.Timeouts;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /anthropic/v1/messages} and {@code .../count_tokens}: validates the body without building a tree,
 * then admit (governance), route (router) and relay (provider), each on this event loop's instance.
 */
final class MessagesHandler {
  private final Vertx vertx;
  private final EventBus bus;
  private final Operation operation;
  private final Timeouts timeouts;

  MessagesHandler(Vertx vertx, Operation operation, Timeouts timeouts) {
    this.timeouts = timeouts;
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.operation = operation;
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      ErrorResponses.send(ctx.response(), Failure.of(FailureCode.INVALID_REQUEST, "Request body is empty"));
      return;
    }
    RequestParams params;
    try {
      params = validated(AnthropicBody.scan(body));
    } catch (Failure.FailureException e) {
      ErrorResponses.send(ctx.response(), e.failure());
      return;
    }
    String requestId = RequestIds.next();
    MultiMap headers = request.headers();
    Promise<Admission> admitted = LocalReply.onThisContext(vertx);
    bus.send(LoopLocal.address(vertx, Addresses.GOVERNANCE_ADMIT), new AdmitRequest(requestId,
        Credentials.of(request), params.model(), 0, Math.max(0, params.maxTokens()), admitted), Codecs.LOCAL);
    admitted.future()
        .compose(admission -> {
          Promise<RouteDecision> routed = LocalReply.onThisContext(vertx);
          bus.send(LoopLocal.address(vertx, Addresses.ROUTER_ROUTE),
              new RouteRequest(requestId, params, lowerCased(headers), admission, routed), Codecs.LOCAL);
          return routed.future().map(decision -> new ClientExchange(vertx, ctx.response(), requestId, operation,
              params, body, headers, request.query(), admission, decision.targets(), timeouts));
        })
        .onSuccess(ClientExchange::start)
        .onFailure(error -> ErrorResponses.send(ctx.response(), Failure.from(error)));
  }

  private RequestParams validated(AnthropicBody.Summary summary) {
    RequestParams params = summary.params();
    if (params.model() == null || params.model().isBlank()) {
      throw invalid("model: Field required (a string such as claude-sonnet-4-5 or openai/gpt-5)");
    }
    if (!summary.hasMessages()) {
      throw invalid("messages: Field required (an array of messages)");
    }
    if (operation == Operation.MESSAGES && params.maxTokens() < 1) {
      throw invalid("max_tokens: Field required (a positive integer)");
    }
    return params;
  }

  private static Failure.FailureException invalid(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, message));
  }

  private static Map<String, String> lowerCased(MultiMap headers) {
    Map<String, String> map = new HashMap<>(headers.size() * 2);
    headers.forEach(header -> map.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
    map.remove("x-api-key");
    map.remove("authorization");
    return map;
  }
}
