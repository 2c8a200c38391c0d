package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Secret values never reach the embedded database's files; the key file is the owner's alone. */
class SecretsAtRestTest {
  private static final String VALUE = "xq7-very-distinctive-secret-value-4711";

  @Test
  void a_grep_of_the_sqlite_database_files_for_a_secret_value_finds_nothing() throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient admin = server.admin();
      assertThat(admin.put("/api/secrets/TOKEN", Map.of("value", VALUE)).status()).isEqualTo(201);
      admin.putYaml(
          "/api/actions/use",
          """
          kind: action
          name: use
          builtin: {log: {message: "token is ${{ secrets.TOKEN }}"}}
          """);
      String run = admin.post("/api/actions/use/trigger", Map.of()).json().get("id").asText();
      assertThat(Runs.awaitTerminal(admin, run).get("status").asText()).isEqualTo("completed");
      server.node().sealer().sealNow();

      List<Path> files;
      try (Stream<Path> all = Files.walk(server.dataDir())) {
        files = all.filter(Files::isRegularFile).toList();
      }
      assertThat(files.stream().map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".db"));
      byte[] needle = VALUE.getBytes(StandardCharsets.UTF_8);
      for (Path file : files) {
        assertThat(indexOf(Files.readAllBytes(file), needle)).as(file.toString()).isEqualTo(-1);
      }

      Path key = server.dataDir().resolve("secret.key");
      assertThat(Files.getPosixFilePermissions(key))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
