package dev.turnpike.governance.logs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers the request-log API for the whole cluster. With a shared store (PostgreSQL) this node's table holds every
 * node's rows, so it answers alone. With a store per node (embedded, memory) it asks every member over the
 * clustered event bus ({@link #memberAddress}) and merges: the first {@code offset + limit} rows of each, sorted
 * again; totals and stats summed; members that do not answer in time are named in {@code nodes.missing}.
 *
 * <p>Asked on {@link #QUERY} (local) with {@code {"op": "list"|"get"|"stats"|"since", "params": {...}}}; answers
 * JSON, or fails with 400 (a bad parameter) or 404 (no such request).
 */
public final class RequestLogService {
  private static final System.Logger LOG = System.getLogger(RequestLogService.class.getName());
  public static final String QUERY = dev.turnpike.contract.Addresses.LOGS_QUERY;
  private static final int BAD = dev.turnpike.contract.FailureCode.INVALID_REQUEST.wireCode();
  private static final int UNKNOWN = dev.turnpike.contract.FailureCode.NOT_FOUND.wireCode();
  private static final int BROKEN = dev.turnpike.contract.FailureCode.INTERNAL.wireCode();
  private static final long MEMBER_TIMEOUT_MS = 5_000;
  private static final int SINCE_LIMIT = 200;
  private final Vertx vertx;
  private final RequestLogTable table;
  private final boolean shared;
  private final String memberId;
  private final Supplier<List<String>> members;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  /**
   * @param shared whether {@code table} holds every node's rows
   * @param members the cluster's member ids, this one's included (asked only when the store is not shared)
   */
  public RequestLogService(Vertx vertx, RequestLogTable table, boolean shared, String memberId,
                           Supplier<List<String>> members) {
    this.vertx = vertx;
    this.table = table;
    this.shared = shared;
    this.memberId = memberId;
    this.members = members;
  }

  public static String memberAddress(String memberId) {
    return "turnpike.logs.node." + memberId;
  }

  public void start() {
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(QUERY, this::onQuery));
    if (!shared) {
      consumers.add(vertx.eventBus().<JsonObject>consumer(memberAddress(memberId), this::onMemberQuery));
    }
  }

  public Future<Void> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void onQuery(Message<JsonObject> message) {
    JsonObject ask = message.body();
    String op = ask.getString("op", "list");
    Map<String, String> params = params(ask.getJsonObject("params", new JsonObject()));
    Future<JsonObject> answer;
    try {
      answer = switch (op) {
        case "list" -> list(LogQuery.parse(params));
        case "since" -> since(LogQuery.parse(params));
        case "stats" -> stats(LogQuery.parse(params),
            LogStats.GroupBy.parse(params.getOrDefault("group_by", "virtual_key")));
        case "get" -> get(ask.getString("id", ""));
        default -> Future.failedFuture(new IllegalArgumentException("unknown op " + op));
      };
    } catch (IllegalArgumentException e) {
      message.fail(BAD, e.getMessage());
      return;
    }
    answer.onSuccess(message::reply).onFailure(e -> {
      if (e instanceof NotFound || e instanceof IllegalArgumentException) {
        message.fail(e instanceof NotFound ? UNKNOWN : BAD, e.getMessage());
      } else {
        LOG.log(System.Logger.Level.WARNING, "request log query failed: {0}", e.toString());
        message.fail(BROKEN, "The request log could not be read; see the node's log");
      }
    });
  }

  /** Another node asks for this node's own rows. */
  private void onMemberQuery(Message<JsonObject> message) {
    JsonObject ask = message.body();
    Map<String, String> params = params(ask.getJsonObject("params", new JsonObject()));
    try {
      Future<JsonObject> answer = switch (ask.getString("op", "list")) {
        case "list" -> localList(LogQuery.parse(params), ask.getInteger("window", LogQuery.MAX_WINDOW));
        case "since" -> localSince(LogQuery.parse(params));
        case "stats" -> localStats(LogQuery.parse(params), LogStats.GroupBy.parse(ask.getString("group_by", "")));
        case "get" -> blocking(() -> {
          RequestLogEntry entry = table.find(ask.getString("id", ""));
          return new JsonObject().put("entry", entry == null ? null : entry.toDetailJson());
        });
        default -> Future.failedFuture(new IllegalArgumentException("unknown op"));
      };
      answer.onSuccess(message::reply).onFailure(e -> {
        LOG.log(System.Logger.Level.WARNING, "request log query failed: {0}", e.toString());
        message.fail(BROKEN, "store read failed");
      });
    } catch (IllegalArgumentException e) {
      message.fail(BAD, e.getMessage());
    }
  }

  private Future<JsonObject> list(LogQuery query) {
    int window = query.offset() + query.limit();
    if (shared) {
      return localList(query, window).map(local -> page(query, local.getJsonArray("data"), local.getLong("total"),
          List.of(memberId), List.of()));
    }
    return fanOut("list", query, new JsonObject().put("window", window)).map(answers -> {
      List<JsonObject> rows = new ArrayList<>();
      long total = 0;
      for (JsonObject answer : answers.answered().values()) {
        total += answer.getLong("total", 0L);
        answer.getJsonArray("data", new JsonArray()).forEach(row -> rows.add((JsonObject) row));
      }
      rows.sort(order(query));
      JsonArray data = new JsonArray();
      rows.stream().skip(query.offset()).limit(query.limit()).forEach(data::add);
      return page(query, data, total, List.copyOf(answers.answered().keySet()), answers.missing());
    });
  }

  /** With a shared store, the page itself; for a fan-out, this node's first {@code window} rows. */
  private Future<JsonObject> localList(LogQuery query, int window) {
    LogQuery asked = shared ? query : query.firstRows(Math.min(window, LogQuery.MAX_WINDOW));
    return blocking(() -> {
      RequestLogTable.Page page = table.list(asked);
      JsonArray data = new JsonArray();
      page.rows().forEach(row -> data.add(row.toJson()));
      return new JsonObject().put("data", data).put("total", page.total());
    });
  }

  /** Rows written after {@code since} (the live view), oldest first, at most {@value #SINCE_LIMIT} per node. */
  private Future<JsonObject> since(LogQuery query) {
    if (shared) {
      return localSince(query);
    }
    return fanOut("since", query, new JsonObject()).map(answers -> {
      List<JsonObject> rows = new ArrayList<>();
      answers.answered().values().forEach(a -> a.getJsonArray("data", new JsonArray())
          .forEach(row -> rows.add((JsonObject) row)));
      rows.sort(Comparator.comparingLong(row -> row.getLong("logged_at", 0L)));
      return new JsonObject().put("data", new JsonArray(new ArrayList<>(rows)))
          .put("nodes", nodes(List.copyOf(answers.answered().keySet()), answers.missing()));
    });
  }

  private Future<JsonObject> localSince(LogQuery query) {
    LogQuery oldestFirst = new LogQuery(query.where(), query.args(), "logged_at", false, SINCE_LIMIT, 0,
        query.params());
    return blocking(() -> {
      JsonArray data = new JsonArray();
      table.list(oldestFirst).rows().forEach(row -> data.add(row.toJson()));
      return new JsonObject().put("data", data);
    });
  }

  private Future<JsonObject> stats(LogQuery query, LogStats.GroupBy groupBy) {
    if (shared) {
      return localStats(query, groupBy).map(partial -> statsAnswer(groupBy, List.of(partial), List.of(memberId),
          List.of()));
    }
    JsonObject groupByName = new JsonObject().put("group_by", groupBy.name());
    return fanOut("stats", query, groupByName).map(answers -> statsAnswer(groupBy,
        List.copyOf(answers.answered().values()), List.copyOf(answers.answered().keySet()), answers.missing()));
  }

  private Future<JsonObject> localStats(LogQuery query, LogStats.GroupBy groupBy) {
    return blocking(() -> {
      LogStats stats = new LogStats(groupBy);
      table.aggregate(query, stats);
      return new JsonObject().put("groups", stats.toPartial());
    });
  }

  private static JsonObject statsAnswer(LogStats.GroupBy groupBy, List<JsonObject> partials, List<String> answered,
                                        List<String> missing) {
    LogStats merged = new LogStats(groupBy);
    partials.forEach(p -> merged.merge(p.getJsonObject("groups", new JsonObject())));
    return new JsonObject().put("group_by", groupBy.name().toLowerCase(java.util.Locale.ROOT))
        .put("groups", merged.toJson()).put("nodes", nodes(answered, missing));
  }

  private Future<JsonObject> get(String id) {
    if (id.isEmpty() || id.length() > 100) {
      return Future.failedFuture(new IllegalArgumentException("a request id is at most 100 characters"));
    }
    if (shared) {
      return blocking(() -> {
        RequestLogEntry entry = table.find(id);
        if (entry == null) {
          throw new NotFound(id);
        }
        return entry.toDetailJson();
      });
    }
    return fanOut("get", null, new JsonObject().put("id", id)).map(answers -> {
      for (JsonObject answer : answers.answered().values()) {
        JsonObject entry = answer.getJsonObject("entry");
        if (entry != null) {
          return entry;
        }
      }
      throw new NotFound(id);
    });
  }

  private record Answers(Map<String, JsonObject> answered, List<String> missing) {}

  /** Asks every member (this one through the bus too, as any other) and waits for all or their timeout. */
  private Future<Answers> fanOut(String op, LogQuery query, JsonObject extra) {
    JsonObject ask = extra.copy().put("op", op);
    if (query != null) {
      ask.put("params", query.params());
    }
    List<String> asked = members.get();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(MEMBER_TIMEOUT_MS);
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (String member : asked) {
      replies.add(vertx.eventBus().<JsonObject>request(memberAddress(member), ask, options).map(Message::body));
    }
    return Future.join(replies).transform(done -> {
      Map<String, JsonObject> answered = new java.util.LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < asked.size(); i++) {
        Future<JsonObject> reply = replies.get(i);
        if (reply.succeeded()) {
          answered.put(asked.get(i), reply.result());
        } else if (reply.cause() instanceof io.vertx.core.eventbus.ReplyException e && e.failureCode() == BAD) {
          return Future.failedFuture(new IllegalArgumentException(e.getMessage()));
        } else {
          missing.add(asked.get(i));
        }
      }
      return Future.succeededFuture(new Answers(answered, missing));
    });
  }

  private static JsonObject page(LogQuery query, JsonArray data, long total, List<String> answered,
                                 List<String> missing) {
    return new JsonObject().put("data", data).put("total", total).put("limit", query.limit())
        .put("offset", query.offset()).put("nodes", nodes(answered, missing));
  }

  private static JsonObject nodes(List<String> answered, List<String> missing) {
    return new JsonObject().put("asked", answered.size() + missing.size()).put("answered", answered.size())
        .put("missing", new JsonArray(new ArrayList<>(missing)));
  }

  /** The list's order over rows as JSON, as SQL sorted each node's part: the sort column, then newest, then id. */
  private static Comparator<JsonObject> order(LogQuery query) {
    Comparator<JsonObject> bySort = switch (query.sortColumn()) {
      case "latency_ms" -> Comparator.comparingDouble(r -> r.getDouble("latency_ms", 0.0));
      case "ttft_ms" -> Comparator.comparing(r -> r.getDouble("ttft_ms"),
          Comparator.nullsFirst(Comparator.naturalOrder()));
      case "total_tokens" -> Comparator.comparingLong(r -> r.getLong("input_tokens", 0L)
          + r.getLong("output_tokens", 0L));
      case "cost_nano_usd" -> Comparator.comparingDouble(r -> r.getDouble("cost_usd", 0.0));
      case "status" -> Comparator.comparingInt(r -> r.getInteger("status", 0));
      default -> Comparator.comparingLong(r -> r.getLong("time", 0L));
    };
    if (query.descending()) {
      bySort = bySort.reversed();
    }
    return bySort.thenComparing(Comparator.<JsonObject>comparingLong(r -> r.getLong("time", 0L)).reversed())
        .thenComparing(r -> r.getString("id", ""));
  }

  private static Map<String, String> params(JsonObject json) {
    Map<String, String> out = new java.util.HashMap<>();
    json.forEach(e -> {
      if (e.getValue() != null) {
        out.put(e.getKey(), String.valueOf(e.getValue()));
      }
    });
    return out;
  }

  private interface Blocking<T> {
    T call() throws Exception;
  }

  private <T> Future<T> blocking(Blocking<T> work) {
    return vertx.executeBlocking(work::call, false);
  }

  /** No request with that id in the log (404). */
  static final class NotFound extends RuntimeException {
    NotFound(String id) {
      super("No request " + id + " in the request log");
    }
  }
}
