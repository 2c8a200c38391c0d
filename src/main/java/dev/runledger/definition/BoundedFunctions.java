package dev.runledger.definition;

import dev.cel.runtime.CelFunctionBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The CEL extension functions whose one call can make a value far larger than its arguments ({@code
 * lists.range(n)}, {@code replace}, {@code join}, {@code flatten}), bound in place of the
 * library's: the same results, but the size of the result is worked out first and a result past the
 * limits stops the evaluation before it is built.
 */
final class BoundedFunctions {
  private BoundedFunctions() {}

  /** Bindings that replace the lists and strings extensions' overloads of the same ids. */
  static List<CelFunctionBinding> bindings(Expressions.Limits limits) {
    return List.of(
        CelFunctionBinding.from("lists_range", Long.class, n -> range(n, limits)),
        CelFunctionBinding.from(
            "string_replace_string_string",
            List.of(String.class, String.class, String.class),
            args -> replace((String) args[0], (String) args[1], (String) args[2], -1, limits)),
        CelFunctionBinding.from(
            "string_replace_string_string_int",
            List.of(String.class, String.class, String.class, Long.class),
            args ->
                replace(
                    (String) args[0], (String) args[1], (String) args[2], (Long) args[3], limits)),
        CelFunctionBinding.from("list_join", List.class, list -> join(list, "", limits)),
        CelFunctionBinding.from(
            "list_join_string", List.class, String.class, (list, sep) -> join(list, sep, limits)),
        CelFunctionBinding.from("list_flatten", Collection.class, list -> flatten(list, 1, limits)),
        CelFunctionBinding.from(
            "list_flatten_list_int",
            Collection.class,
            Long.class,
            (list, depth) -> flatten(list, depth, limits)));
  }

  static List<Long> range(long n, Expressions.Limits limits) {
    limits.checkElements(n, "lists.range(" + n + ")");
    return LongStream.range(0, n).boxed().toList();
  }

  /**
   * {@code s} with the first {@code n} occurrences of {@code old} replaced (all when {@code n} is
   * negative); an empty {@code old} matches before each code point and at the end.
   */
  static String replace(String s, String old, String with, long n, Expressions.Limits limits) {
    if (n == 0) {
      return s;
    }
    List<Integer> at = new ArrayList<>();
    if (old.isEmpty()) {
      for (int i = 0; i <= s.length() && (n < 0 || at.size() < n); ) {
        at.add(i);
        i = i < s.length() ? s.offsetByCodePoints(i, 1) : i + 1;
      }
    } else {
      for (int i = s.indexOf(old); i >= 0 && (n < 0 || at.size() < n); ) {
        at.add(i);
        i = s.indexOf(old, i + old.length());
      }
    }
    long length = s.length() + (long) at.size() * (with.length() - old.length());
    limits.checkText(length, "replace");
    StringBuilder out = new StringBuilder((int) length);
    int from = 0;
    for (int i : at) {
      out.append(s, from, i).append(with);
      from = i + old.length();
    }
    return out.append(s, Math.min(from, s.length()), s.length()).toString();
  }

  static String join(List<?> list, String separator, Expressions.Limits limits) {
    long length = list.isEmpty() ? 0 : (long) separator.length() * (list.size() - 1);
    for (Object element : list) {
      if (!(element instanceof String text)) {
        throw new IllegalArgumentException("join needs a list of strings");
      }
      length += text.length();
      limits.checkText(length, "join");
    }
    @SuppressWarnings("unchecked")
    List<String> strings = (List<String>) list;
    return String.join(separator, strings);
  }

  static List<Object> flatten(Collection<?> list, long depth, Expressions.Limits limits) {
    if (depth < 0) {
      throw new IllegalArgumentException("Level must be non-negative");
    }
    limits.checkElements(count(list, depth, limits), "flatten");
    List<Object> out = new ArrayList<>();
    add(out, list, depth);
    return out;
  }

  private static long count(Collection<?> list, long depth, Expressions.Limits limits) {
    long n = 0;
    for (Object element : list) {
      n +=
          depth > 0 && element instanceof Collection<?> inner ? count(inner, depth - 1, limits) : 1;
      if (n > limits.maxElements()) {
        return n; // enough to refuse; the rest need not be counted
      }
    }
    return n;
  }

  private static void add(List<Object> out, Collection<?> list, long depth) {
    for (Object element : list) {
      if (depth > 0 && element instanceof Collection<?> inner) {
        add(out, inner, depth - 1);
      } else {
        out.add(element);
      }
    }
  }
}
