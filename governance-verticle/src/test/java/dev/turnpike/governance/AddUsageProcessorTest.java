package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddUsageProcessorTest {
  private static final UsageTotals DELTA = new UsageTotals(1, 100, 20, 5, 3);

  @Test
  void should_store_the_delta_when_the_key_has_no_totals_yet() {
    Map.Entry<String, UsageTotals> entry = new AbstractMap.SimpleEntry<>("vk-a|anthropic/claude", null);

    assertNull(new AddUsageProcessor(DELTA).process(entry));

    assertEquals(DELTA, entry.getValue());
  }

  @Test
  void should_add_the_delta_to_the_totals_when_the_key_has_some() {
    Map.Entry<String, UsageTotals> entry =
        new AbstractMap.SimpleEntry<>("vk-a|anthropic/claude", new UsageTotals(2, 1, 1, 1, 1));

    new AddUsageProcessor(DELTA).process(entry);

    assertEquals(new UsageTotals(3, 101, 21, 6, 4), entry.getValue());
  }

  @Test
  void should_add_the_same_delta_when_serialized_to_the_member_that_owns_the_key() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new AddUsageProcessor(DELTA));
    }
    AddUsageProcessor copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (AddUsageProcessor) in.readObject();
    }
    Map.Entry<String, UsageTotals> entry =
        new AbstractMap.SimpleEntry<>("vk-a|anthropic/claude", new UsageTotals(1, 0, 0, 0, 0));

    copy.process(entry);

    assertEquals(new UsageTotals(2, 100, 20, 5, 3), entry.getValue());
  }
}
