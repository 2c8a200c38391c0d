package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.executor.CommandIsolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --isolation} and {@code --run-as} choose, and what they refuse at start. */
class IsolationSetupTest {
  @TempDir Path dataDir;

  private CommandIsolation.Mode chosen(String isolation, String runAs) {
    try (Runledger node =
        Runledger.start(ServerConfig.forTests(dataDir).withIsolation(isolation, runAs))) {
      return node.isolation().mode();
    }
  }

  @Test
  void an_unknown_mode_or_user_mode_without_a_user_or_as_root_is_refused_naming_the_options() {
    assertThatThrownBy(() -> chosen("chroot", null))
        .hasMessageContaining("sandbox, user, none or auto");
    assertThatThrownBy(() -> chosen("user", null)).hasMessageContaining("needs --run-as USER");
    assertThatThrownBy(() -> chosen("user", "no-such-user-rl"))
        .hasMessageContaining("no such user");
  }

  @Test
  void none_is_explicit_and_the_default_here_is_the_sandbox() {
    assertThat(chosen("none", null)).isEqualTo(CommandIsolation.Mode.NONE);
    assertThat(chosen(null, null)).isEqualTo(CommandIsolation.Mode.SANDBOX);
  }

  @Test
  @EnabledIf("dev.runledger.app.CommandIsolationTest#runsAsRoot")
  void as_another_user_the_data_directory_is_the_servers_alone_and_work_is_outside_it()
      throws Exception {
    assertThatThrownBy(() -> chosen("user", "root")).hasMessageContaining("is root");
    try (Runledger node =
        Runledger.start(
            ServerConfig.forTests(dataDir).withIsolation("user", IsolationSetup.FALLBACK_USER))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
      assertThat(node.workRoot().startsWith(dataDir.toRealPath())).isFalse();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.workRoot())))
          .isEqualTo("rwx--x--x");
    }
  }
}
