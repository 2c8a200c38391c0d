package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runledger audit export}: streams audit events to standard output. */
@Command(
    name = "export",
    description =
        "Stream audit events, oldest first unless --order desc, as JSON lines or CSV to standard"
            + " output.")
final class AuditExportCommand extends ScopedCommand {

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "From: an age (7d), a date or RFC 3339.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Up to: an age, a date or RFC 3339.")
  String until;

  @Option(names = "--actor", paramLabel = "PRINCIPAL", description = "Only events by this actor.")
  String actor;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type.")
  String type;

  @Option(names = "--run", paramLabel = "RUN_ID", description = "Only events of this run.")
  String runId;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "jsonl",
      description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--order",
      paramLabel = "ORDER",
      defaultValue = "asc",
      description = "asc (oldest first) or desc (newest first) (default: ${DEFAULT-VALUE}).")
  String order;

  AuditExportCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw new UsageException("--format must be jsonl or csv, not '" + format + "'");
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      throw new UsageException("--order must be asc or desc, not '" + order + "'");
    }
    Query query =
        Query.of()
            .add("since", since == null ? null : Formats.since(since, env.clock()))
            .add("until", until == null ? null : Formats.since(until, env.clock()))
            .add("actor", actor)
            .add("type", type)
            .add("runId", runId)
            .add("format", format)
            .add("order", order);
    String accept =
        format.equals("csv") ? "text/csv, */*" : "application/x-ndjson, application/jsonl, */*";
    client.streamLines("/api/audit", query, accept, out()::println);
    return 0;
  }
}
