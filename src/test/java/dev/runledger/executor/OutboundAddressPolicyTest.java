package dev.runledger.executor;

import static dev.runledger.executor.TestAttemptContext.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FailureKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundAddressPolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StubHttpServer server;

  @TempDir Path workDir;

  @BeforeEach
  void start() throws Exception {
    server = new StubHttpServer().on("/", 200, java.util.Map.of(), "{}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private AttemptResult get(HttpExecutor executor, String url) throws InterruptedException {
    ObjectNode spec = JSON.createObjectNode().put("url", url);
    return executor.execute(anAttempt(workDir).spec(spec).timeout(Duration.ofSeconds(5)).build());
  }

  private static void assertRefused(AttemptResult result, String... causeParts) {
    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).startsWith("refused to send a request to ");
              assertThat(f.failure().cause()).contains(causeParts);
              assertThat(f.httpStatus()).isNull();
            });
  }

  @Test
  void the_cloud_metadata_address_is_refused_with_a_clear_cause() throws Exception {
    AttemptResult result = get(new HttpExecutor(), "http://169.254.169.254/latest/meta-data/");

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f ->
                assertThat(f.failure().cause())
                    .isEqualTo(
                        "refused to send a request to 169.254.169.254 (link-local / cloud metadata"
                            + " address): outbound HTTP to internal addresses is off; allow it"
                            + " with --allow-http-to"));
  }

  @Test
  void a_decimal_ipv4_host_is_refused() throws Exception {
    assertRefused(get(new HttpExecutor(), "http://2852039166/"), "2852039166", "dotted-decimal");
  }

  @ParameterizedTest
  @CsvSource({
    "http://0x7f.1/, 0x7f.1",
    "http://0177.0.0.1/, 0177.0.0.1",
    "http://127.1/, 127.1",
  })
  void other_non_canonical_numeric_hosts_are_refused(String url, String host) throws Exception {
    assertRefused(get(new HttpExecutor(), url), host);
  }

  @Test
  void loopback_is_refused_and_no_request_reaches_it() throws Exception {
    AttemptResult result = get(new HttpExecutor(), server.url("/"));

    assertRefused(result, "127.0.0.1", "loopback");
    assertThat(server.received).isEmpty();
  }

  @Test
  void localhost_is_refused_because_it_resolves_to_loopback() throws Exception {
    AttemptResult result = get(new HttpExecutor(), "http://localhost:" + server.port() + "/");

    assertRefused(result, "localhost", "loopback");
    assertThat(server.received).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "http://[::1]/, loopback",
    "http://[::ffff:127.0.0.1]/, loopback",
    "http://[::ffff:a9fe:a9fe]/, cloud metadata",
    "http://[fd00:ec2::254]/, cloud metadata",
    "http://[fe80::1]/, link-local",
    "http://10.0.0.1/, private",
    "http://172.16.5.4/, private",
    "http://192.168.1.1/, private",
    "http://100.64.0.1/, carrier-grade NAT",
    "http://0.0.0.0/, any-local",
    "http://[::]/, any-local",
    "http://224.0.0.1/, multicast",
  })
  void internal_addresses_are_refused(String url, String description) throws Exception {
    assertRefused(get(new HttpExecutor(), url), description);
  }

  @Test
  void schemes_other_than_http_and_https_are_refused() throws Exception {
    assertRefused(get(new HttpExecutor(), "file:///etc/passwd"), "file: URL");
  }

  @Test
  void an_allowlisted_range_permits_its_addresses() throws Exception {
    HttpExecutor executor = new HttpExecutor(OutboundAddressPolicy.parse("127.0.0.1/32"));

    AttemptResult result = get(executor, server.url("/"));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(server.received).hasSize(1);
  }

  @Test
  void an_allowlisted_host_name_permits_that_host() throws Exception {
    HttpExecutor executor =
        new HttpExecutor(OutboundAddressPolicy.parse(" localhost , 10.0.0.0/8"));

    AttemptResult allowed = get(executor, "http://localhost:" + server.port() + "/");
    AttemptResult refused = get(executor, server.url("/"));

    assertThat(allowed).isInstanceOf(AttemptResult.Succeeded.class);
    assertRefused(refused, "loopback");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void public_addresses_are_permitted() throws Exception {
    OutboundAddressPolicy policy = OutboundAddressPolicy.denyInternal();

    assertThat(policy.refusal(URI.create("https://93.184.215.14/"))).isEmpty();
    assertThat(policy.refusal(URI.create("https://[2606:4700:4700::1111]/"))).isEmpty();
  }

  @Test
  void ipv6_ranges_can_be_allowlisted() throws Exception {
    OutboundAddressPolicy policy = OutboundAddressPolicy.parse("fd00::/8");

    assertThat(policy.refusal(URI.create("http://[fd12::1]/"))).isEmpty();
    assertThat(policy.refusal(URI.create("http://[::1]/"))).isPresent();
  }

  @Test
  void bad_allowlist_entries_are_all_named() {
    assertThatThrownBy(
            () ->
                OutboundAddressPolicy.parse("10.0.0.0/33,ex ample,127.0.0.1/8,::1/129,2852039166"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.0/33' (prefix must be 0-32)")
        .hasMessageContaining("'ex ample' (not a host name, IP address or CIDR range)")
        .hasMessageContaining("'::1/129' (prefix must be 0-128)")
        .hasMessageContaining("'2852039166'")
        .hasMessageNotContaining("'127.0.0.1/8'");
  }
}
