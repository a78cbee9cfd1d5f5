package dev.turnpike.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/**
 * Bedrock's CountTokens request: what it counts, either an InvokeModel body, base64 in
 * {@code {"input":{"invokeModel":{"body":"..."}}}}, decoded, or a Converse request, {@code {"input":{"converse":
 * {...}}}}. Read as a stream, so the base64 text never becomes a string; either is smaller than the request, which
 * was read within {@code server.max_body_bytes}.
 */
final class BedrockCountTokensBody {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * What to count.
   *
   * @param converse whether {@code body} is a Converse request (else an InvokeModel body, Anthropic's form)
   */
  record Input(boolean converse, Buffer body) {}

  private BedrockCountTokensBody() {}

  /** The input to count; a 400 when the request is not of either shape. */
  static Input read(Buffer request) {
    try (JsonParser parser = parserOver(request)) {
      if (parser.nextToken() != JsonToken.START_OBJECT || !enter(parser, "input")
          || parser.currentToken() != JsonToken.START_OBJECT) {
        throw invalid("CountTokens needs {\"input\": {\"invokeModel\": {\"body\": \"<base64>\"}}} or "
            + "{\"input\": {\"converse\": {...}}}");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("converse") && value == JsonToken.START_OBJECT) {
          int start = (int) parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          int end = (int) parser.currentLocation().getByteOffset();
          Input converse = new Input(true, request.getBuffer(start, end));
          requireWellFormedRest(parser);
          return converse;
        }
        if (field.equals("invokeModel") && value == JsonToken.START_OBJECT && enter(parser, "body")) {
          if (parser.currentToken() != JsonToken.VALUE_STRING) {
            break;
          }
          Input invoke = new Input(false, Buffer.buffer(parser.getBinaryValue()));
          requireWellFormedRest(parser);
          return invoke;
        }
        parser.skipChildren();
      }
      throw invalid("CountTokens needs input.invokeModel.body (the InvokeModel body in base64) or input.converse");
    } catch (IOException | IllegalArgumentException e) {
      throw invalid("CountTokens body is not valid JSON with a base64 input.invokeModel.body or input.converse");
    }
  }

  /** A parser over the buffer's own bytes, as {@code AnthropicBody} reads bodies: no copy of the request. */
  private static JsonParser parserOver(Buffer body) throws IOException {
    ByteBuf bytes = ((BufferInternal) body).getByteBuf();
    if (bytes.hasArray()) {
      return JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }
    return JSON.createParser((java.io.InputStream) new ByteBufInputStream(bytes.duplicate()));
  }

  /** Reads to the end, so a request malformed after what it counts is refused as the Anthropic surface refuses one. */
  private static void requireWellFormedRest(JsonParser parser) throws IOException {
    boolean rootClosed = false;
    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (rootClosed) {
        throw invalid("CountTokens body must be exactly one JSON object");
      }
      rootClosed = token == JsonToken.END_OBJECT && parser.getParsingContext().inRoot();
    }
    if (!rootClosed) {
      throw invalid("CountTokens body is not valid JSON");
    }
  }

  /** Moves {@code parser}, inside an object, to the value of its field {@code name}, skipping the others. */
  private static boolean enter(JsonParser parser, String name) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      if (field.equals(name)) {
        return true;
      }
      parser.skipChildren();
    }
    return false;
  }

  private static Failure.FailureException invalid(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, message));
  }
}
