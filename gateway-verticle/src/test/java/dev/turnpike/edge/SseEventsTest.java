package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {

  @Test
  void should_split_whole_events_with_their_names_and_data() {
    List<SseEvents.Event> events = SseEvents.split(Buffer.buffer(
        "event: message_start\ndata: {\"a\":1}\n\n: a comment\nevent:ping\ndata:{\"b\":2}\n\n"));

    assertEquals(2, events.size());
    assertEquals("message_start", events.get(0).name());
    assertEquals("{\"a\":1}", events.get(0).data().toString());
    assertEquals("ping", events.get(1).name(), "the space after the colon is optional");
    assertEquals("{\"b\":2}", events.get(1).data().toString());
  }

  @Test
  void should_join_data_lines_and_accept_crlf_and_an_unnamed_event() {
    List<SseEvents.Event> events = SseEvents.split(Buffer.buffer("data: one\r\ndata: two\r\nid: 7\r\n\r\n"));

    assertEquals(1, events.size());
    assertEquals("message", events.get(0).name());
    assertEquals("one\ntwo", events.get(0).data().toString());
  }

  @Test
  void should_keep_an_event_the_frame_did_not_close_and_skip_events_without_data() {
    List<SseEvents.Event> events = SseEvents.split(Buffer.buffer("event: lonely\n\nevent: last\ndata: x"));

    assertEquals(1, events.size());
    assertEquals("last", events.get(0).name());
    assertEquals("x", events.get(0).data().toString());
  }
}
