package dev.turnpike.provider;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.config.ProviderConfig;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Weighted choice among a provider's keys that may serve the model: a key with a {@code models} list serves only
 * those; keys with a weight of zero or less are never used.
 */
public final class KeyPicker {
  private KeyPicker() {}

  /** A provider whose keys all exclude the model: a configuration problem, and another target may work. */
  public static Failure noKeyFor(ProviderConfig provider, String model) {
    return Failure.of(FailureCode.UPSTREAM_AUTH, "Provider '" + provider.name() + "' has no key that may serve model '"
        + model + "' (see the models lists of its keys)");
  }

  /** The key value to use for {@code model}, or null when no key of the provider serves it. */
  public static String pick(ProviderConfig provider, String model) {
    List<ProviderConfig.ProviderKey> keys = provider.keys();
    if (keys.size() == 1) {
      ProviderConfig.ProviderKey only = keys.get(0);
      return only.weight() > 0 && only.serves(model) ? only.value() : null;
    }
    double total = 0;
    for (ProviderConfig.ProviderKey key : keys) {
      total += key.serves(model) ? Math.max(0, key.weight()) : 0;
    }
    if (total <= 0) {
      return null;
    }
    double point = ThreadLocalRandom.current().nextDouble(total);
    String last = null;
    for (ProviderConfig.ProviderKey key : keys) {
      if (!key.serves(model) || key.weight() <= 0) {
        continue;
      }
      last = key.value();
      point -= key.weight();
      if (point < 0) {
        return key.value();
      }
    }
    return last;
  }
}
