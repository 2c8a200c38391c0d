package dev.runledger.definition;

import com.google.protobuf.ByteString;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * Bounds one evaluation (CEL-Java 0.14 has no runtime cost limit of its own): every value the
 * evaluation produces or reads is at most {@code maxText} characters (or bytes) or {@code
 * maxElements} elements (or entries), and the evaluation's cost, one per step plus the size of each
 * value, stays within {@code maxCost}. Told of each value as the evaluator produces it, it throws
 * to stop the evaluation. One instance per evaluation.
 */
final class EvaluationBudget implements CelEvaluationListener {
  private final Expressions.Limits limits;
  private long cost;

  EvaluationBudget(Expressions.Limits limits) {
    this.limits = limits;
  }

  @Override
  public void callback(CelExpr expr, Object value) {
    long size = 0;
    if (value instanceof String s) {
      size = s.length();
      limits.checkText(size);
    } else if (value instanceof CelByteString b) {
      size = b.size();
      limits.checkText(size);
    } else if (value instanceof ByteString b) {
      size = b.size();
      limits.checkText(size);
    } else if (value instanceof Collection<?> c) {
      size = c.size();
      limits.checkElements(size);
    } else if (value instanceof Map<?, ?> m) {
      size = m.size();
      limits.checkElements(size);
    }
    // A comprehension's accumulator grows by one element an iteration and is seen each time;
    // counting its whole size would make a plain map() quadratic. The iteration limit bounds it.
    cost += 1 + (isAccumulator(expr) ? 0 : size);
    if (cost > limits.maxCost()) {
      throw new ExpressionLimitException(
          "the evaluation costs more than "
              + limits.maxCost()
              + " (one a step plus the size of each value): too much work",
          false,
          cost,
          limits.maxCost());
    }
  }

  private static boolean isAccumulator(CelExpr expr) {
    if (isInternalName(expr)) {
      return true;
    }
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL) {
      for (CelExpr arg : expr.call().args()) {
        if (isInternalName(arg)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Macros name their accumulator {@code @result}: a name no author can write. */
  private static boolean isInternalName(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().startsWith("@");
  }
}
