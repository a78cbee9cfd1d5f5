package dev.turnpike.router.rules;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The map keys a rule cannot match without: those read with {@code m['k']} or {@code m.k} directly in one of the
 * rule's top-level {@code &&} terms (not under {@code ||}, {@code !}, {@code ?:}, {@code has()} or an optional
 * read). A read of an absent key is an error, an error in such a term makes the whole rule a non-match, so a rule
 * whose key is absent needs no evaluation: checking presence first spares the exception CEL would throw (about
 * ten times the cost of evaluating the rule).
 */
record RequiredKeys(List<Key> keys) {
  /** A key of one of the request's maps. */
  record Key(String map, String key) {}

  private static final Set<String> MAPS = Set.of("headers", "params", "body");
  /** Functions whose value is not an error when one argument is (short-circuit or error-absorbing). */
  private static final Set<String> LENIENT = Set.of("_&&_", "_||_", "_?_:_", "!_", "@not_strictly_false",
      "not_strictly_false");

  static RequiredKeys of(CelExpr root) {
    List<Key> keys = new ArrayList<>();
    for (CelExpr term : conjuncts(root, new ArrayList<>())) {
      Key direct = read(term);
      if (direct != null) {
        keys.add(direct);
      } else if (term.getKind() == CelExpr.ExprKind.Kind.CALL && !LENIENT.contains(term.call().function())) {
        term.call().target().map(RequiredKeys::read).ifPresent(keys::add);
        for (CelExpr arg : term.call().args()) {
          Key key = read(arg);
          if (key != null) {
            keys.add(key);
          }
        }
      }
    }
    return new RequiredKeys(List.copyOf(keys));
  }

  /** Whether every required key is present in {@code inputs}. */
  boolean presentIn(RuleInputs inputs) {
    for (Key key : keys) {
      Map<String, ?> map = switch (key.map()) {
        case "headers" -> inputs.headers();
        case "params" -> inputs.params();
        default -> inputs.body();
      };
      if (!map.containsKey(key.key())) {
        return false;
      }
    }
    return true;
  }

  private static List<CelExpr> conjuncts(CelExpr expr, List<CelExpr> out) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL && expr.call().function().equals("_&&_")) {
      expr.call().args().forEach(arg -> conjuncts(arg, out));
    } else {
      out.add(expr);
    }
    return out;
  }

  /** {@code m['k']} or {@code m.k} on one of the request's maps, or null. */
  private static Key read(CelExpr expr) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT && !expr.select().testOnly()) {
      CelExpr operand = expr.select().operand();
      if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT && MAPS.contains(operand.ident().name())) {
        return new Key(operand.ident().name(), expr.select().field());
      }
    }
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL && expr.call().function().equals("_[_]")
        && expr.call().args().size() == 2) {
      CelExpr operand = expr.call().args().get(0);
      CelExpr index = expr.call().args().get(1);
      if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT && MAPS.contains(operand.ident().name())
          && index.getKind() == CelExpr.ExprKind.Kind.CONSTANT
          && index.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
        return new Key(operand.ident().name(), index.constant().stringValue());
      }
    }
    return null;
  }
}
