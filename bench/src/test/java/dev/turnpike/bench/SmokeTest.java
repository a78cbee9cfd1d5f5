package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.bench.LoadGen.Failure;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What fails a quick run and what does not. */
class SmokeTest {

  private static LoadGen.Step step(int ok) {
    LoadGen.Step s = new LoadGen.Step(100, 100, 1);
    for (int i = 0; i < ok; i++) {
      s.sent.increment();
      s.record(0, 5_000_000, 10_000_000);
    }
    return s;
  }

  private static void fail(LoadGen.Step s, String kind, Failure why) {
    s.sent.increment();
    s.failure(kind, why);
  }

  @Test
  void aStepWithOnly529sAndTimeoutsPasses() {
    LoadGen.Step warm = step(20);
    LoadGen.Step busy = step(0); // a step where nothing succeeded: the machine was busy, not the node broken
    for (int i = 0; i < 50; i++) {
      fail(busy, "HTTP 529", Failure.ofStatus(529));
    }
    fail(busy, "HTTP 503", Failure.ofStatus(503));
    fail(busy, "HTTP 504", Failure.ofStatus(504));
    fail(busy, "AnnotatedConnectException: Connection refused", Failure.of(new ConnectException("refused")));
    fail(busy, "NoStackTraceTimeoutException: timeout", Failure.of(new TimeoutException("timeout")));
    busy.sent.increment(); // still open when the drain period ends
    busy.close();

    assertNull(Smoke.failure(List.of(warm, busy), List.of()));
    assertEquals(52, busy.overloaded());
    assertEquals(0, busy.protocolErrors());
    assertEquals(3, busy.timeouts()); // 504, the idle timeout and the unanswered one
    assertEquals(52, busy.errors()); // the full run's counts (and saturation) see every failure as before
    assertTrue(Smoke.summary(List.of(warm, busy)).startsWith("20 of 75 requests ok, 52 refused"),
        Smoke.summary(List.of(warm, busy)));
  }

  @Test
  void oneProtocolErrorAmongSuccessesFails() {
    LoadGen.Step s = step(1000);
    fail(s, "HTTP 529", Failure.ofStatus(529));
    fail(s, "HTTP 500", Failure.ofStatus(500));
    String why = Smoke.failure(List.of(s), List.of());
    assertNotNull(why);
    assertTrue(why.contains("HTTP 500") && !why.contains("529"), why);
  }

  @Test
  void anAnswerNotEndingInMessageStopFails() {
    LoadGen.Step s = step(10);
    fail(s, "200 without message_stop at the end", Failure.PROTOCOL);
    assertNotNull(Smoke.failure(List.of(step(10), s), List.of()));
  }

  @Test
  void noSuccessAtAllFails() {
    LoadGen.Step s = step(0);
    fail(s, "HTTP 529", Failure.ofStatus(529));
    String why = Smoke.failure(List.of(s, step(0)), List.of());
    assertNotNull(why);
    assertTrue(why.startsWith("not one request succeeded"), why);
  }

  @Test
  void aDeadProcessFailsWhateverTheRequestsSaid() {
    assertNotNull(Smoke.failure(List.of(step(100)), List.of("shared-node")));
  }
}
