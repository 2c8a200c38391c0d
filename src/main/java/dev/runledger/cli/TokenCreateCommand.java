package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger token create}: makes an API token and prints its value once. */
@Command(
    name = "create",
    description = "Create an API token and print its id and value (the value is shown only once).")
final class TokenCreateCommand extends ClientCommand {

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Principal name.")
  String name;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "viewer, operator, approver or admin.")
  String role;

  @Option(
      names = "--project",
      paramLabel = "PROJECT",
      description = "Limit the token to this project; repeatable (default: all projects).")
  List<String> projects = new ArrayList<>();

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      description = "The token stops working after this long: 90m, 12h, 30d (default: never).")
  String expiresIn;

  @Mixin OutputOptions output = new OutputOptions();

  TokenCreateCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    try {
      Role.fromWire(role);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--role " + e.getMessage());
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("role", role);
    if (expiresIn != null) {
      body.put("expiresIn", expiresIn);
    }
    if (!projects.isEmpty()) {
      projects.forEach(body.putArray("projects")::add);
    }
    JsonNode token = client.postJson("/api/tokens", null, body, Map.of()).json();
    if (output.structured()) {
      output.print(out(), token);
      return 0;
    }
    out().println("id:    " + Json.text(token, "id"));
    out().println("name:  " + Json.text(token, "name") + " (" + Json.text(token, "role") + ")");
    if (token.path("projects").isArray() && token.path("projects").size() > 0) {
      List<String> p = new ArrayList<>();
      token.get("projects").forEach(n -> p.add(n.asText()));
      out().println("projects: " + String.join(", ", p));
    }
    if (token.hasNonNull("expiresAt")) {
      out().println("expires: " + Json.text(token, "expiresAt"));
    }
    out().println("token: " + Json.text(token, "token"));
    err().println("store the token now: it is not shown again");
    return 0;
  }
}
