package dev.turnpike.governance;

import dev.turnpike.governance.identity.IdentityOverlay;
import dev.turnpike.governance.identity.IdentityOverlay.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The admin API's customers, teams and virtual keys: list, get (with each limit's window), create, update
 * (fields merged), delete, and a key's rotate. Every change is checked against the whole policy first, then stored
 * for every node. A key's value is shown once, when it is made or rotated; after that only its id.
 * A request is {@code {op, kind, id, body}}; the answer {@code {status, body}}.
 */
final class IdentityAdmin {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> SECRET_FIELDS = Set.of("value", "value_hash");
  private final IdentityCatalog catalog;
  private final GovernanceState state;
  private final Clock clock;

  IdentityAdmin(IdentityCatalog catalog, GovernanceState state, Clock clock) {
    this.catalog = catalog;
    this.state = state;
    this.clock = clock;
  }

  Future<JsonObject> handle(JsonObject request) {
    Kind kind = kind(request.getString("kind", ""));
    if (kind == null) {
      return answer(404, error("not_found_error", "No such collection: " + request.getString("kind")));
    }
    String id = request.getString("id");
    JsonObject body = request.getValue("body") instanceof JsonObject b ? b : null;
    return switch (request.getString("op", "")) {
      case "list" -> answer(200, new JsonObject().put("data", list(kind)));
      case "get" -> get(kind, id);
      case "create" -> body == null ? badBody() : create(kind, body);
      case "update" -> body == null ? badBody() : update(kind, id, body);
      case "delete" -> delete(kind, id);
      case "rotate" -> kind == Kind.VIRTUAL_KEY ? rotate(id) : answer(404, error("not_found_error",
          "Only virtual keys have a value to rotate"));
      default -> answer(405, error("invalid_request_error", "Unknown operation"));
    };
  }

  private JsonArray list(Kind kind) {
    JsonArray out = new JsonArray();
    for (Object entry : catalog.governance().getJsonArray(kind.section(), new JsonArray())) {
      JsonObject entity = (JsonObject) entry;
      out.add(shown(kind, entity));
    }
    return out;
  }

  private Future<JsonObject> get(Kind kind, String id) {
    JsonObject entity = current(kind, id);
    if (entity == null) {
      return notFound(kind, id);
    }
    // This node's settled costs first, as the usage report does, so the figures include its latest requests.
    return state.allowances().flush()
        .compose(v -> LimitsReport.rows(state.policy(), state.allowances(), clock.instant(), kind.key(id)::equals))
        .map(limits -> reply(200, shown(kind, entity).put("limits", limits)));
  }

  private Future<JsonObject> create(Kind kind, JsonObject body) {
    if (!(body.getValue("id") instanceof String id) || !id.matches("[A-Za-z0-9._:@-]{1,200}")) {
      return answer(400, error("invalid_request_error",
          "id is required: 1-200 letters, digits or . _ : @ -"));
    }
    if (current(kind, id) != null) {
      return answer(409, error("invalid_request_error", kind.section() + " already has '" + id + "'"));
    }
    JsonObject entity = body.copy();
    String value = null;
    if (kind == Kind.VIRTUAL_KEY) {
      if (entity.containsKey("value_hash")) {
        return answer(400, error("invalid_request_error", "value_hash is not accepted; send value or none"));
      }
      value = entity.getValue("value") instanceof String given && !given.isBlank() ? given : newValue(id);
      if (value.length() < 16) {
        return answer(400, error("invalid_request_error", "A key value must have at least 16 characters"));
      }
      entity.remove("value");
      entity.put("value_hash", catalog.hasher().hashHex(value));
    }
    String shownValue = value;
    return store(kind, id, entity, 201).map(reply -> {
      if (shownValue != null && reply.getInteger("status") == 201) {
        reply.getJsonObject("body").put("value", shownValue); // the only time the value is shown
      }
      return reply;
    });
  }

  private Future<JsonObject> update(Kind kind, String id, JsonObject changes) {
    JsonObject entity = current(kind, id);
    if (entity == null) {
      return notFound(kind, id);
    }
    for (String field : changes.fieldNames()) {
      if (SECRET_FIELDS.contains(field)) {
        return answer(400, error("invalid_request_error", "A key's value changes only by rotating it: POST "
            + "/api/admin/virtual-keys/" + id + "/rotate"));
      }
      if (field.equals("id") && !id.equals(changes.getValue("id"))) {
        return answer(400, error("invalid_request_error", "An id cannot change"));
      }
    }
    JsonObject next = stored(kind, id, entity);
    changes.forEach(field -> {
      if (field.getValue() == null) {
        next.remove(field.getKey());
      } else {
        next.put(field.getKey(), field.getValue());
      }
    });
    return store(kind, id, next, 200);
  }

  private Future<JsonObject> delete(Kind kind, String id) {
    if (current(kind, id) == null) {
      return notFound(kind, id);
    }
    List<String> users = usersOf(kind, id);
    if (!users.isEmpty()) {
      return answer(409, error("invalid_request_error", kind.name().toLowerCase().replace('_', ' ') + " '" + id
          + "' is still used by " + String.join(", ", users)));
    }
    return catalog.put(kind.key(id), IdentityOverlay.DELETED)
        .map(v -> reply(200, new JsonObject().put("id", id).put("deleted", true)));
  }

  private Future<JsonObject> rotate(String id) {
    JsonObject entity = current(Kind.VIRTUAL_KEY, id);
    if (entity == null) {
      return notFound(Kind.VIRTUAL_KEY, id);
    }
    String value = newValue(id);
    JsonObject next = stored(Kind.VIRTUAL_KEY, id, entity).put("value_hash", catalog.hasher().hashHex(value));
    next.remove("value");
    return store(Kind.VIRTUAL_KEY, id, next, 200).map(reply -> {
      if (reply.getInteger("status") == 200) {
        reply.getJsonObject("body").put("value", value);
      }
      return reply;
    });
  }

  /** Checks the change against the whole policy, then stores it for every node. */
  private Future<JsonObject> store(Kind kind, String id, JsonObject entity, int status) {
    entity.put("id", id);
    List<String> problems = catalog.problemsWith(kind.key(id), entity);
    if (!problems.isEmpty()) {
      JsonObject refused = error("invalid_request_error", "The change was refused: " + String.join("; ", problems));
      refused.put("problems", new JsonArray(List.copyOf(problems)));
      return answer(400, refused);
    }
    return catalog.put(kind.key(id), entity).map(v -> reply(status, shown(kind, entity)));
  }

  /**
   * What to store for an entity being changed: its overlay entry when it has one (keeping a made key's hash), else
   * the file's entity without its value (the merge keeps the file's value).
   */
  private JsonObject stored(Kind kind, String id, JsonObject current) {
    String own = catalog.overlay().get(kind.key(id));
    JsonObject base = own != null ? new JsonObject(own) : current.copy();
    if (own == null) {
      base.remove("value");
    }
    return base;
  }

  private JsonObject current(Kind kind, String id) {
    if (id == null) {
      return null;
    }
    for (Object entry : catalog.governance().getJsonArray(kind.section(), new JsonArray())) {
      if (entry instanceof JsonObject entity && id.equals(entity.getValue("id"))) {
        return entity;
      }
    }
    return null;
  }

  private List<String> usersOf(Kind kind, String id) {
    JsonObject governance = catalog.governance();
    List<String> users = new java.util.ArrayList<>();
    if (kind == Kind.CUSTOMER) {
      governance.getJsonArray("teams", new JsonArray()).forEach(t -> {
        if (id.equals(((JsonObject) t).getValue("customer"))) {
          users.add("team '" + ((JsonObject) t).getString("id") + "'");
        }
      });
    }
    if (kind == Kind.CUSTOMER || kind == Kind.TEAM) {
      String field = kind == Kind.CUSTOMER ? "customer" : "team";
      governance.getJsonArray("virtual_keys", new JsonArray()).forEach(k -> {
        if (id.equals(((JsonObject) k).getValue(field))) {
          users.add("virtual key '" + ((JsonObject) k).getString("id") + "'");
        }
      });
    }
    return users;
  }

  /** The entity as the API shows it: no value or hash, and where it comes from. */
  private JsonObject shown(Kind kind, JsonObject entity) {
    JsonObject out = entity.copy();
    SECRET_FIELDS.forEach(out::remove);
    String id = entity.getString("id");
    boolean inFile = catalog.fileGovernance().getJsonArray(kind.section(), new JsonArray()).stream()
        .anyMatch(e -> e instanceof JsonObject f && id.equals(f.getValue("id")));
    boolean changed = catalog.overlay().containsKey(kind.key(id));
    out.put("source", inFile ? (changed ? "config, changed through the API" : "config") : "api");
    return out;
  }

  private static Kind kind(String collection) {
    return switch (collection) {
      case "customers" -> Kind.CUSTOMER;
      case "teams" -> Kind.TEAM;
      case "virtual-keys" -> Kind.VIRTUAL_KEY;
      default -> null;
    };
  }

  /**
   * A value shaped as the tokens of Anthropic's own gateway (a JWT whose payload has {@code aud: claude-gateway}):
   * Claude Code shows a gateway's budget warnings ({@code anthropic-ratelimit-unified-*}) only for such a token. Its
   * third part is 32 random bytes, the secret; Turnpike never reads the first two, it only compares the hash.
   */
  static String newValue(String id) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = base64.encodeToString(new JsonObject().put("iss", "turnpike").put("aud", "claude-gateway")
        .put("sub", id).put("iat", Instant.now().getEpochSecond()).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + base64.encodeToString(secret);
  }

  private Future<JsonObject> notFound(Kind kind, String id) {
    return answer(404, error("not_found_error", "No " + kind.section().replace('_', ' ') + " entry '" + id + "'"));
  }

  private static Future<JsonObject> badBody() {
    return answer(400, error("invalid_request_error", "Send a JSON object"));
  }

  private static Future<JsonObject> answer(int status, JsonObject body) {
    return Future.succeededFuture(reply(status, body));
  }

  private static JsonObject reply(int status, JsonObject body) {
    return new JsonObject().put("status", status).put("body", body);
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type)
        .put("message", message));
  }
}
