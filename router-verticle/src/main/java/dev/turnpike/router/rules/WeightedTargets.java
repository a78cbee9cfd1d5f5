package dev.turnpike.router.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * A rule's targets with their weights, normalised: weights need not sum to 1, and a target whose weight is zero
 * or negative is dropped. An omitted provider or model (null here) keeps the incoming one.
 */
public record WeightedTargets(List<Choice> choices) {
  /** One target; {@code share} is its normalised weight. */
  public record Choice(String provider, String model, double share) {}

  /** Picks one target; {@code random} yields values in [0, 1). */
  public Choice pick(DoubleSupplier random) {
    if (choices.size() == 1) {
      return choices.get(0);
    }
    double point = random.getAsDouble();
    for (Choice choice : choices) {
      point -= choice.share();
      if (point < 0) {
        return choice;
      }
    }
    return choices.get(choices.size() - 1);
  }

  static WeightedTargets parse(Object value, String label, Set<String> providers, List<String> problems) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      problems.add(label + ": targets must be a non-empty list of {provider, model, weight}");
      return new WeightedTargets(List.of());
    }
    List<Object[]> kept = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject target)) {
        problems.add(label + ": targets[" + i + "] must be an object");
        continue;
      }
      String provider = target.getValue("provider") instanceof String p && !p.isBlank() ? p : null;
      String model = target.getValue("model") instanceof String m && !m.isBlank() ? m : null;
      if (provider != null && !providers.contains(provider)) {
        problems.add(label + ": targets[" + i + "] names provider '" + provider + "', which is not configured "
            + "(configured: " + providers + ")");
        continue;
      }
      Object weightValue = target.getValue("weight", 1);
      if (!(weightValue instanceof Number weight)) {
        problems.add(label + ": targets[" + i + "].weight must be a number");
        continue;
      }
      if (weight.doubleValue() > 0) {
        kept.add(new Object[] {provider, model, weight.doubleValue()});
        total += weight.doubleValue();
      }
    }
    if (kept.isEmpty()) {
      problems.add(label + ": no usable target (every weight is zero or negative, or every target is invalid)");
      return new WeightedTargets(List.of());
    }
    List<Choice> choices = new ArrayList<>();
    for (Object[] k : kept) {
      choices.add(new Choice((String) k[0], (String) k[1], (double) k[2] / total));
    }
    return new WeightedTargets(List.copyOf(choices));
  }
}
