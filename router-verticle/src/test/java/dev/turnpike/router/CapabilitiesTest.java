package dev.turnpike.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  private static final String CONFIG = """
      {"providers": {
         "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
         "local":     {"dialect": "openai", "base_url": "http://127.0.0.1:2",
                       "capabilities": {"images": false, "models": {"tiny": {"tools": false}}}}},
       "fallbacks": {"local/tiny": ["local/big", "anthropic/claude-sonnet-4-5"]}}""";

  private static Routing routing() {
    List<String> problems = new ArrayList<>();
    Routing routing = Routing.compile(new JsonObject(CONFIG), () -> 0.5, problems);
    assertEquals(List.of(), problems);
    return routing;
  }

  private static RouteRequest request(String model, boolean tools, boolean images) {
    return new RouteRequest("tp-test", Operation.MESSAGES, new RequestParams(model, true, 1000, tools, false,
        tools ? 3 : 0, images), Map.of(), Map.of(), null, new Admission("vk", "vk", "", ""), Promise.promise());
  }

  private static List<String> targets(Routing routing, RouteRequest request) {
    return routing.decide(request, Usage.Limits.NONE).targets().stream().map(Target::qualifiedModel).toList();
  }

  @Test
  void should_leave_out_targets_that_cannot_do_what_the_request_needs() {
    Routing routing = routing();

    assertEquals(List.of("local/tiny", "local/big", "anthropic/claude-sonnet-4-5"),
        targets(routing, request("local/tiny", false, false)), "a plain request may go anywhere");
    assertEquals(List.of("local/big", "anthropic/claude-sonnet-4-5"),
        targets(routing, request("local/tiny", true, false)), "tiny cannot call tools; its fallbacks can");
    assertEquals(List.of("anthropic/claude-sonnet-4-5"),
        targets(routing, request("local/tiny", true, true)), "no model of local takes images");
  }

  @Test
  void should_refuse_with_a_400_naming_the_missing_capability_when_no_target_can() {
    Failure.FailureException refused = assertThrows(Failure.FailureException.class,
        () -> routing().decide(request("local/big", false, true), Usage.Limits.NONE));

    assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
    assertTrue(refused.failure().message().contains("'local/big' cannot take images"), refused.failure().message());
    assertTrue(refused.failure().message().contains("providers.local.capabilities"));
  }

  @Test
  void should_report_malformed_capabilities() {
    List<String> problems = new ArrayList<>();
    Routing.compile(new JsonObject("""
        {"providers": {"p": {"dialect": "openai", "base_url": "http://127.0.0.1:1",
           "capabilities": {"tools": "no", "vision": false, "models": {"m": {"models": {}}}}}}}"""), () -> 0.5,
        problems);

    assertEquals(List.of("providers.p.capabilities.tools must be true or false",
        "providers.p.capabilities.vision is not a known capability (known: tools, images, models)",
        "providers.p.capabilities.models.m.models is not a known capability (known: tools, images)"), problems);
  }
}
