package dev.turnpike.governance;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import java.util.Arrays;
import java.util.List;

/** Builds the {@link ExchangeRecord}s the edge would send to settlement. */
final class Records {
  static final Target SONNET = new Target("anthropic", "anthropic", "claude-sonnet-4-5");
  static final Target GPT5 = new Target("openai", "openai", "gpt-5");

  private Records() {}

  static Admission admitted(String subject) {
    return new Admission(subject, subject, "platform", "acme");
  }

  static ExchangeRecord.Attempt answered(Target target, Usage usage) {
    return new ExchangeRecord.Attempt(target, 0, 5, 10, null, usage);
  }

  static ExchangeRecord.Attempt failed(Target target, FailureCode outcome, Usage usage) {
    return new ExchangeRecord.Attempt(target, 0, 5, 10, outcome, usage);
  }

  static ExchangeRecord record(Operation operation, Admission admission, ExchangeRecord.Attempt... attempts) {
    List<ExchangeRecord.Attempt> list = Arrays.asList(attempts);
    Usage total = list.stream().map(ExchangeRecord.Attempt::usage).reduce(Usage.NONE, Usage::plus);
    return new ExchangeRecord("tp-test", "node-1", operation, 0, 5, 20, 1, 2, 20, 1, admission, "claude-sonnet-4-5",
        false, null, null, list, 200, null, null, total, ExchangeRecord.ClientInfo.NONE, null);
  }

  static ExchangeRecord messages(Admission admission, ExchangeRecord.Attempt... attempts) {
    return record(Operation.MESSAGES, admission, attempts);
  }
}
