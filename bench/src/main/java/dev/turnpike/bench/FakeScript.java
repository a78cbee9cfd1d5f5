package dev.turnpike.bench;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One precomputed streamed answer: the bytes of every event, already grouped by the moment they leave. Group 0
 * leaves at time-to-first-byte; group {@code i} leaves {@code i / tokensPerSecond} later. Built once at start
 * for both dialects, so answering a request costs only timer ticks and writes of shared buffers.
 *
 * <p>The answer is a short text block followed by a {@code tool_use} block (Bash) whose input arrives as
 * {@code input_json_delta} fragments: the shape Claude Code sees most. OpenAI's twin has {@code tool_calls}
 * fragments, a {@code finish_reason}, a final usage chunk ({@code stream_options.include_usage}) and
 * {@code data: [DONE]}.
 */
public record FakeScript(String name, long ttfbNanos, long spacingNanos, int tokens, List<Buffer> anthropic,
                         List<Buffer> openai) {
  /** The prompt size every answer reports, whatever was sent: with {@link #tokens} it fixes what a request costs. */
  public static final int INPUT_TOKENS = 21_000;

  /** {@code name:ttfb=20,tps=1000,tokens=64}: first byte after 20 ms, then 1,000 deltas/s, 64 deltas. */
  public static FakeScript parse(String spec) {
    String[] nameAndRest = spec.split(":", 2);
    double ttfbMs = 20;
    double tps = 1000;
    int tokens = 64;
    if (nameAndRest.length > 1) {
      for (String kv : nameAndRest[1].split(",")) {
        String[] p = kv.split("=", 2);
        switch (p[0].trim()) {
          case "ttfb" -> ttfbMs = Double.parseDouble(p[1]);
          case "tps" -> tps = Double.parseDouble(p[1]);
          case "tokens" -> tokens = Integer.parseInt(p[1]);
          default -> throw new IllegalArgumentException("unknown fake setting " + p[0] + " in " + spec);
        }
      }
    }
    return build(nameAndRest[0], (long) (ttfbMs * 1e6), (long) (1e9 / tps), Math.max(2, tokens));
  }

  public String spec() {
    return name + ":ttfb=" + ttfbNanos / 1e6 + ",tps=" + Math.round(1e9 / spacingNanos) + ",tokens=" + tokens;
  }

  public long anthropicBytes() {
    return anthropic.stream().mapToLong(Buffer::length).sum();
  }

  public long openaiBytes() {
    return openai.stream().mapToLong(Buffer::length).sum();
  }

  static FakeScript build(String name, long ttfbNanos, long spacingNanos, int tokens) {
    int toolTokens = Math.max(1, tokens / 4);
    int textTokens = tokens - toolTokens;
    List<String> text = new ArrayList<>();
    String[] words = {"Let", " me", " look", " at", " the", " project", " layout", " first", ",", " then",
        " run", " the", " tests", " and", " check", " the", " failing", " case", "."};
    for (int i = 0; i < textTokens; i++) {
      text.add(words[i % words.length]);
    }
    String toolInput = "{\"command\":\"ls -la /home/dev/project && git status --short && mvn -q -o test "
        + "-Dtest=GatewayTest\",\"description\":\"List the project files, show git status and run one test\"}";
    while (toolInput.length() < toolTokens * 2) {
      toolInput = toolInput.substring(0, toolInput.length() - 1) + ",\"pad\":\"" + "x".repeat(toolTokens) + "\"}";
    }
    List<String> fragments = split(toolInput, toolTokens);

    // ---- Anthropic SSE
    List<StringBuilder> a = new ArrayList<>();
    StringBuilder g = new StringBuilder();
    sse(g, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench01\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-bench\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
    sse(g, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}");
    sse(g, "ping", "{\"type\":\"ping\"}");
    for (int i = 0; i < textTokens; i++) {
      if (i > 0) {
        a.add(g);
        g = new StringBuilder();
      }
      sse(g, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
          + "{\"type\":\"text_delta\",\"text\":" + quote(text.get(i)) + "}}");
    }
    sse(g, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    a.add(g);
    g = new StringBuilder();
    sse(g, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_bench01\",\"name\":\"Bash\",\"input\":{}}}");
    for (int i = 0; i < fragments.size(); i++) {
      if (i > 0) {
        a.add(g);
        g = new StringBuilder();
      }
      sse(g, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
          + "{\"type\":\"input_json_delta\",\"partial_json\":" + quote(fragments.get(i)) + "}}");
    }
    sse(g, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    sse(g, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + tokens + "}}");
    sse(g, "message_stop", "{\"type\":\"message_stop\"}");
    a.add(g);

    // ---- OpenAI chat completion chunks, same timing groups
    String head = "{\"id\":\"chatcmpl-bench01\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
        + "\"model\":\"gpt-bench\",\"system_fingerprint\":\"fp_bench\",\"choices\":[";
    List<StringBuilder> o = new ArrayList<>();
    g = new StringBuilder();
    data(g, head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    for (int i = 0; i < textTokens; i++) {
      if (i > 0) {
        o.add(g);
        g = new StringBuilder();
      }
      data(g, head + "{\"index\":0,\"delta\":{\"content\":" + quote(text.get(i)) + "},\"finish_reason\":null}]}");
    }
    o.add(g);
    g = new StringBuilder();
    data(g, head + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_bench01\",\"type\":"
        + "\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
    for (int i = 0; i < fragments.size(); i++) {
      if (i > 0) {
        o.add(g);
        g = new StringBuilder();
      }
      data(g, head + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + quote(fragments.get(i)) + "}}]},\"finish_reason\":null}]}");
    }
    data(g, head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    data(g, head + "],\"usage\":{\"prompt_tokens\":" + INPUT_TOKENS + ",\"completion_tokens\":" + tokens
        + ",\"total_tokens\":" + (INPUT_TOKENS + tokens) + "}}");
    g.append("data: [DONE]\n\n");
    o.add(g);
    return new FakeScript(name, ttfbNanos, spacingNanos, tokens, buffers(a), buffers(o));
  }

  private static List<Buffer> buffers(List<StringBuilder> groups) {
    List<Buffer> out = new ArrayList<>(groups.size());
    for (StringBuilder group : groups) {
      out.add(Buffer.buffer(group.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return List.copyOf(out);
  }

  private static List<String> split(String s, int parts) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    for (int i = 0; i < parts; i++) {
      out.add(s.substring(i * n / parts, (i + 1) * n / parts));
    }
    return out;
  }

  private static void sse(StringBuilder b, String event, String json) {
    b.append("event: ").append(event).append('\n').append("data: ").append(json).append("\n\n");
  }

  private static void data(StringBuilder b, String json) {
    b.append("data: ").append(json).append("\n\n");
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
