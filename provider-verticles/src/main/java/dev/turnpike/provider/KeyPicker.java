package dev.turnpike.provider;

import dev.turnpike.contract.config.ProviderConfig;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted choice among a provider's keys; keys with a weight of zero or less are never used. */
public final class KeyPicker {
  private KeyPicker() {}

  /** The key value to use, or null when the provider has none. */
  public static String pick(ProviderConfig provider) {
    List<ProviderConfig.ProviderKey> keys = provider.keys();
    if (keys.size() == 1) {
      return keys.get(0).weight() > 0 ? keys.get(0).value() : null;
    }
    double total = 0;
    for (ProviderConfig.ProviderKey key : keys) {
      total += Math.max(0, key.weight());
    }
    if (total <= 0) {
      return null;
    }
    double point = ThreadLocalRandom.current().nextDouble(total);
    for (ProviderConfig.ProviderKey key : keys) {
      point -= Math.max(0, key.weight());
      if (point < 0) {
        return key.value();
      }
    }
    return keys.get(keys.size() - 1).value();
  }
}
