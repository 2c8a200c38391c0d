package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.engine.run.SubjectLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code runledger serve} flags reach the node's configuration (parsed, not started). */
class ServeCommandTest {

  private static ServerConfig configFor(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.config();
  }

  @Test
  void artifact_size_limits_default_to_256_mib_a_file_and_2_gib_a_run() {
    EvidenceConfig evidence = configFor().evidence();

    assertThat(evidence.maxFileBytes()).isEqualTo(256L << 20);
    assertThat(evidence.maxRunBytes()).isEqualTo(2L << 30);
    assertThat(evidence.retainLogs()).isNull();
  }

  @Test
  void artifact_size_limit_flags_are_wired_to_the_evidence_config() {
    EvidenceConfig evidence =
        configFor(
                "--max-artifact-bytes",
                "100MiB",
                "--max-run-artifact-bytes",
                "1048576",
                "--retain-logs",
                "30d")
            .evidence();

    assertThat(evidence.maxFileBytes()).isEqualTo(100L << 20);
    assertThat(evidence.maxRunBytes()).isEqualTo(1_048_576L);
    assertThat(evidence.retainLogs()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void a_size_that_is_not_one_is_refused_naming_the_flag() {
    assertThatThrownBy(() -> configFor("--max-artifact-bytes", "lots"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-artifact-bytes")
        .hasMessageContaining("'lots' is not a size");
    assertThatThrownBy(() -> configFor("--max-run-artifact-bytes", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-run-artifact-bytes")
        .hasMessageContaining("not a positive size");
  }

  @Test
  void the_node_name_defaults_to_the_host_name_and_the_flag_sets_it() {
    assertThat(configFor().nodeName()).isNull();
    assertThat(configFor("--node-name", "build-01").nodeName()).isEqualTo("build-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a:b", "-lead", "with space", "ünïcode", "a/b"})
  void a_node_name_that_is_not_a_plain_name_is_refused(String name) {
    assertThatThrownBy(() -> configFor("--node-name", name))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--node-name");
  }

  @Test
  void a_node_migrates_its_store_unless_told_not_to() {
    assertThat(configFor().migrate()).isTrue();
    assertThat(configFor("--no-migrate").migrate()).isFalse();
  }

  @Test
  void log_streams_per_principal_default_to_20_and_the_flag_sets_them() {
    assertThat(configFor().logStreamsPerPrincipal()).isEqualTo(20);
    assertThat(configFor("--log-streams-per-principal", "3").logStreamsPerPrincipal()).isEqualTo(3);
    assertThat(configFor("--log-streams-per-principal", "0").logStreamsPerPrincipal()).isZero();
    assertThatThrownBy(() -> configFor("--log-streams-per-principal", "-1"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--log-streams-per-principal");
  }

  @Test
  void subject_limits_default_to_a_million_and_their_flags_are_wired() {
    assertThat(configFor().subjects()).isEqualTo(new SubjectLimits(1_000_000, 1_000_000));
    assertThat(
            configFor("--max-subjects-per-step", "5000", "--max-subjects-per-run", "20000")
                .subjects())
        .isEqualTo(new SubjectLimits(5000, 20000));
    assertThatThrownBy(() -> configFor("--max-subjects-per-run", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-subjects-per-run")
        .hasMessageContaining("at least 1");
  }

  @ParameterizedTest
  @CsvSource({
    "1,1",
    "1048576,1048576",
    "512KiB,524288",
    "512k,524288",
    "100MB,104857600",
    "100 mib,104857600",
    "2GiB,2147483648",
    "1T,1099511627776",
    "7b,7",
  })
  void sizes_are_read_in_binary_multiples(String text, long bytes) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-5", "1.5GiB", "10 PB", "GiB", "99999999999999999999", "9999999T"})
  void malformed_or_overflowing_sizes_are_refused(String text) {
    assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
