package dev.turnpike.provider;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Hands a recorded stream over in pieces, so a test can show a translator does not care where the network cut it. */
public final class StreamCuts {
  private StreamCuts() {}

  /** {@code stream} as the pieces between ascending offsets {@code cuts}, then the rest, in order. */
  public static void feed(byte[] stream, int[] cuts, Consumer<Buffer> piece) {
    int from = 0;
    for (int cut : cuts) {
      piece.accept(Buffer.buffer().appendBytes(stream, from, cut - from));
      from = cut;
    }
    piece.accept(Buffer.buffer().appendBytes(stream, from, stream.length - from));
  }
}
