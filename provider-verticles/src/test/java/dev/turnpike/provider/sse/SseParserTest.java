package dev.turnpike.provider.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  record Event(String event, String data) {}

  private static final String STREAM = "\uFEFF: comment line\n"
      + "event: message_start\n"
      + "data: {\"a\":\"ü€😀\"}\n\n"
      + "data:no-space\r\n"
      + "data:  two spaces keep one\r\n"
      + "id: 7\r\n"
      + "retry: 100\r\n\r\n"
      + "event: ping\r"
      + "data: cr only\r\r"
      + "event: lonely\n\n"
      + "data\n\n"
      + "unknown: field\n"
      + "data: last without blank line";

  private static final List<Event> EXPECTED = List.of(
      new Event("message_start", "{\"a\":\"ü€😀\"}"),
      new Event(null, "no-space\n two spaces keep one"),
      new Event("ping", "cr only"),
      new Event(null, ""),
      new Event(null, "last without blank line"));

  @Test
  void should_parse_all_line_ends_fields_and_comments_when_fed_whole() {
    assertEquals(EXPECTED, parse(bytes(), new int[0]));
  }

  @Test
  void should_yield_the_same_events_when_split_at_every_byte_offset() {
    byte[] bytes = bytes();
    for (int cut = 1; cut < bytes.length; cut++) {
      assertEquals(EXPECTED, parse(bytes, new int[] {cut}), "split at " + cut);
      for (int second = cut + 1; second < bytes.length; second += 7) {
        assertEquals(EXPECTED, parse(bytes, new int[] {cut, second}), "split at " + cut + " and " + second);
      }
    }
  }

  @Test
  void should_yield_the_same_events_when_fed_one_byte_at_a_time() {
    byte[] bytes = bytes();
    int[] cuts = new int[bytes.length - 1];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    assertEquals(EXPECTED, parse(bytes, cuts));
  }

  @Test
  void should_not_dispatch_twice_when_end_follows_a_complete_event() {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((e, d) -> events.add(new Event(e, d)), 1 << 20);
    parser.feed(Buffer.buffer("data: one\n\n"));
    parser.end();
    parser.end();
    assertEquals(List.of(new Event(null, "one")), events);
  }

  @Test
  void should_treat_crlf_split_across_chunks_as_one_line_end() {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((e, d) -> events.add(new Event(e, d)), 1 << 20);
    parser.feed(Buffer.buffer("data: a\r"));
    parser.feed(Buffer.buffer("\ndata: b\r"));
    parser.feed(Buffer.buffer("\n\r"));
    parser.feed(Buffer.buffer("\n"));
    assertEquals(List.of(new Event(null, "a\nb")), events);
  }

  private static byte[] bytes() {
    return STREAM.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Event> parse(byte[] bytes, int[] cuts) {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((e, d) -> events.add(new Event(e, d)), 1 << 20);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(Buffer.buffer().appendBytes(bytes, from, cut - from));
      from = cut;
    }
    parser.feed(Buffer.buffer().appendBytes(bytes, from, bytes.length - from));
    parser.end();
    return events;
  }

  @Test
  void should_drop_an_oversized_event_and_go_on_with_the_next_when_a_line_never_ends_in_time() {
    List<Event> events = new ArrayList<>();
    int[] oversized = {0};
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override
      public void onEvent(String event, String data) {
        events.add(new Event(event, data));
      }

      @Override
      public void onOversizedEvent() {
        oversized[0]++;
      }
    }, 1024);
    parser.feed(Buffer.buffer("event: first\ndata: ok\n\nevent: huge\ndata: "));
    String kilobyte = "x".repeat(1000);
    for (int i = 0; i < 10_000; i++) { // 10 MB without a line end
      parser.feed(Buffer.buffer(kilobyte));
    }
    parser.feed(Buffer.buffer("\n\nevent: after\ndata: fine\n\n"));
    parser.end();

    assertEquals(List.of(new Event("first", "ok"), new Event("after", "fine")), events);
    assertEquals(1, oversized[0], "reported once, however long it went on");
  }

  @Test
  void should_report_the_offset_after_the_last_event_boundary_of_each_chunk() {
    SseParser parser = new SseParser((e, d) -> { }, 1 << 20);
    assertEquals(-1, parser.feed(Buffer.buffer("event: a\ndata: 1")));
    assertEquals(2, parser.feed(Buffer.buffer("\n\nevent: b\n")));
    assertEquals(11, parser.feed(Buffer.buffer("data: 2\r\n\r\nda")));
    assertEquals(-1, parser.feed(Buffer.buffer("ta: 3\n")));
  }
}
