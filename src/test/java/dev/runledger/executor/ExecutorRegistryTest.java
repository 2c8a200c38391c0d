package dev.runledger.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorRegistryTest {

  @Test
  void finds_executors_by_kind() {
    BuiltinExecutor builtin = new BuiltinExecutor();
    HttpExecutor http = new HttpExecutor();
    ExecutorRegistry registry = new ExecutorRegistry(List.of(builtin, http, new CommandExecutor()));

    assertThat(registry.forKind("builtin")).containsSame(builtin);
    assertThat(registry.forKind("http")).containsSame(http);
    assertThat(registry.forKind("ftp")).isEmpty();
    assertThat(registry.kinds()).containsExactly("builtin", "command", "http");
  }

  @Test
  void two_executors_of_one_kind_are_refused() {
    assertThatThrownBy(
            () -> new ExecutorRegistry(List.of(new BuiltinExecutor(), new BuiltinExecutor())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind 'builtin'");
  }
}
