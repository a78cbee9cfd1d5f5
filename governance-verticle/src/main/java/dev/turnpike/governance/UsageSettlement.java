package dev.turnpike.governance;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one finished request adds to the usage counters: each attempt's tokens on the target that used them
 * (a failed attempt that read the prompt still used its input tokens), and one request on the target that gave
 * the client its answer or its failure. count_tokens calls are not model requests and add nothing.
 */
final class UsageSettlement {
  private UsageSettlement() {}

  /** Counter key ({@link UsageKey}) to the delta to add; empty when nothing is to be counted. */
  static Map<String, UsageTotals> of(ExchangeRecord record) {
    List<ExchangeRecord.Attempt> attempts = record.attempts();
    if (record.operation() != Operation.MESSAGES || record.admission() == null || attempts.isEmpty()) {
      return Map.of();
    }
    Map<String, UsageTotals> deltas = new LinkedHashMap<>();
    String subject = record.admission().subject();
    for (int i = 0; i < attempts.size(); i++) {
      ExchangeRecord.Attempt attempt = attempts.get(i);
      boolean last = i == attempts.size() - 1;
      Usage usage = attempt.usage();
      if (!last && usage.equals(Usage.NONE)) {
        continue;
      }
      UsageTotals delta = new UsageTotals(last ? 1 : 0, usage.inputTokens(), usage.outputTokens(),
          usage.cacheReadTokens(), usage.cacheCreationTokens());
      deltas.merge(UsageKey.of(subject, attempt.target().qualifiedModel()), delta, UsageTotals::plus);
    }
    return deltas;
  }
}
