package dev.turnpike.app.fakes;

/**
 * Wire-level misbehaviour of a fake upstream, applied to the rendered response bytes.
 *
 * <ul>
 *   <li>{@code splitEvery}: write the body in pieces of this many bytes (0 = in one write). With chunked
 *       encoding every piece reaches the client as its own buffer, so 7 cuts inside {@code data:}, inside JSON
 *       strings and inside multi-byte UTF-8 characters: a parser that assumes whole lines or whole events
 *       per buffer breaks.</li>
 *   <li>{@code firstByteDelayMs}: wait before sending anything, status line included (slow upstream, connect
 *       or first-byte timeouts).</li>
 *   <li>{@code pieceDelayMs}: wait between pieces (slow drip, idle timeouts).</li>
 *   <li>a cut after some bytes or after some whole events: then either {@link Cut#STALL} (keep the connection
 *       open and send nothing more) or {@link Cut#CLOSE} (close the TCP connection mid-body).</li>
 * </ul>
 */
public record Faults(int splitEvery, long firstByteDelayMs, long pieceDelayMs, Cut cut, long cutAfterBytes,
                     int cutAfterEvents) {

  public enum Cut { NONE, STALL, CLOSE }

  public static Faults none() {
    return new Faults(0, 0, 0, Cut.NONE, -1, -1);
  }

  public Faults splitEvery(int bytes) {
    return new Faults(bytes, firstByteDelayMs, pieceDelayMs, cut, cutAfterBytes, cutAfterEvents);
  }

  public Faults delayFirstByte(long millis) {
    return new Faults(splitEvery, millis, pieceDelayMs, cut, cutAfterBytes, cutAfterEvents);
  }

  public Faults delayBetweenPieces(long millis) {
    return new Faults(splitEvery, firstByteDelayMs, millis, cut, cutAfterBytes, cutAfterEvents);
  }

  /** Stop sending after this many whole SSE events (the response head and those events reach the client). */
  public Faults stallAfterEvents(int events) {
    return new Faults(splitEvery, firstByteDelayMs, pieceDelayMs, Cut.STALL, -1, events);
  }

  public Faults closeAfterEvents(int events) {
    return new Faults(splitEvery, firstByteDelayMs, pieceDelayMs, Cut.CLOSE, -1, events);
  }

  /** Stop sending after this many body bytes (may cut inside an event, or inside a non-streaming JSON body). */
  public Faults stallAfterBytes(long bytes) {
    return new Faults(splitEvery, firstByteDelayMs, pieceDelayMs, Cut.STALL, bytes, -1);
  }

  public Faults closeAfterBytes(long bytes) {
    return new Faults(splitEvery, firstByteDelayMs, pieceDelayMs, Cut.CLOSE, bytes, -1);
  }
}
