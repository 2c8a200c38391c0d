package dev.runledger.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The executors by action kind. */
public final class ExecutorRegistry {
  private final Map<String, ActionExecutor> byKind;

  /**
   * @throws IllegalArgumentException when two executors claim the same kind
   */
  public ExecutorRegistry(List<? extends ActionExecutor> executors) {
    Map<String, ActionExecutor> map = new TreeMap<>();
    for (ActionExecutor executor : executors) {
      ActionExecutor previous = map.putIfAbsent(executor.kind(), executor);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two executors for kind '"
                + executor.kind()
                + "': "
                + previous.getClass().getName()
                + " and "
                + executor.getClass().getName());
      }
    }
    this.byKind = Map.copyOf(map);
  }

  /**
   * The given executors plus those found with {@link ServiceLoader} (extensions on the class path).
   */
  public static ExecutorRegistry withExtensions(List<? extends ActionExecutor> configured) {
    List<ActionExecutor> all = new ArrayList<>(configured);
    ServiceLoader.load(ActionExecutor.class).forEach(all::add);
    return new ExecutorRegistry(all);
  }

  public Optional<ActionExecutor> forKind(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  public Set<String> kinds() {
    return new java.util.TreeSet<>(byKind.keySet());
  }
}
