package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.app.AdminBootstrap;
import dev.runledger.app.Runledger;
import dev.runledger.app.ServerConfig;
import dev.runledger.testing.ApiClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API.md "Server start": the first admin token on a fresh data directory. */
class AdminBootstrapTest {
  @TempDir Path dataDir;

  @Test
  void a_fresh_node_without_a_configured_token_prints_one_once_and_writes_it_with_mode_0600()
      throws Exception {
    try (Runledger node = Runledger.start(ServerConfig.forTests(dataDir))) {
      StringWriter printed = new StringWriter();
      Optional<Path> written =
          AdminBootstrap.run(node.tokens(), null, dataDir, new PrintWriter(printed, true));

      Path file = dataDir.resolve("admin-token");
      assertThat(written).contains(file);
      String token = Files.readString(file).strip();
      assertThat(token).isNotBlank();
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rw-------"))
          .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
      assertThat(printed.toString()).contains(token).contains(file.toString());
      assertThat(printed.toString().split(java.util.regex.Pattern.quote(token), -1)).hasSize(2);

      ApiClient admin = new ApiClient(node.url(), token);
      assertThat(admin.get("/api/tokens").status()).isEqualTo(200);
      assertThat(admin.get("/api/tokens").json().get("items").findValuesAsText("role"))
          .containsExactly("admin");

      // a second start finds the token: nothing printed, the file left as it was
      StringWriter again = new StringWriter();
      assertThat(AdminBootstrap.run(node.tokens(), null, dataDir, new PrintWriter(again, true)))
          .isEmpty();
      assertThat(again.toString()).isEmpty();
      assertThat(Files.readString(file).strip()).isEqualTo(token);
      assertThat(admin.get("/api/tokens").json().get("items")).hasSize(1);
    }
  }

  @Test
  void a_configured_admin_token_is_created_with_that_value_and_nothing_is_written_or_printed()
      throws Exception {
    try (Runledger node = Runledger.start(ServerConfig.forTests(dataDir))) {
      StringWriter printed = new StringWriter();
      assertThat(
              AdminBootstrap.run(
                  node.tokens(), "configured-admin-value", dataDir, new PrintWriter(printed, true)))
          .isEmpty();
      assertThat(dataDir.resolve("admin-token")).doesNotExist();
      assertThat(printed.toString()).doesNotContain("configured-admin-value");
      ApiClient admin = new ApiClient(node.url(), "configured-admin-value");
      assertThat(admin.get("/api/tokens").json().get("items").get(0).get("name").asText())
          .isEqualTo("admin");
    }
  }
}
