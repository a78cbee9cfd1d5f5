package dev.turnpike.app.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client on a bare socket, for what well-behaved HTTP clients will not do: trickle headers, stop halfway
 * through a body, send malformed framing. Reads with a timeout, so a gateway that hangs fails the test.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RawHttp(int port, int readTimeoutMs) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(readTimeoutMs);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  public RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  public RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** What the server sent until it closed the connection, or until the read timeout. */
  public Answer readUntilClosedOrTimeout() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean closed = false;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        bytes.write(buffer, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      // the server kept the connection open
    } catch (IOException e) {
      closed = true; // reset by the server
    }
    return new Answer(bytes.toString(StandardCharsets.UTF_8), closed);
  }

  /** Reads one response head and a body of its content-length (or until close when it has none). */
  public Answer readOneResponse() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      bytes.write(b);
      if (bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    String head = bytes.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Answer(head + new String(body, StandardCharsets.UTF_8), false);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The raw answer; {@code closed} when the server ended the connection. */
  public record Answer(String text, boolean closed) {
    public int status() {
      if (!text.startsWith("HTTP/1.1 ")) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    }

    public String body() {
      int at = text.indexOf("\r\n\r\n");
      return at < 0 ? "" : text.substring(at + 4);
    }
  }

  /** A request head for {@code POST path} with the given extra header lines (each ending in CRLF). */
  public static String post(String path, long contentLength, String headers) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: "
        + contentLength + "\r\n" + headers + "\r\n";
  }
}
