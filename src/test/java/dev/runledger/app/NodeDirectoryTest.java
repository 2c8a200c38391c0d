package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** A data directory other users of the machine can read is worth a warning at start. */
class NodeDirectoryTest {

  @Test
  void a_directory_others_may_read_or_enter_is_told_apart_from_a_private_one() throws Exception {
    Path dir = Files.createTempDirectory("runledger-perms");

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(NodeDirectory.othersCanRead(dir)).isTrue();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-----x"));
    assertThat(NodeDirectory.othersCanRead(dir)).isTrue();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(NodeDirectory.othersCanRead(dir)).isFalse();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    assertThat(NodeDirectory.othersCanRead(dir)).isFalse();
  }

  @Test
  void a_data_directory_the_server_makes_is_its_own_alone() throws Exception {
    Path dir = Files.createTempDirectory("runledger-parent").resolve("data");

    try (NodeDirectory node = NodeDirectory.open(dir)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
      assertThat(NodeDirectory.othersCanRead(dir)).isFalse();
    }
  }
}
