package dev.runledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code runledger} command line: the root command with every client subcommand registered.
 * Server-side subcommands ({@code serve}, {@code bench}) are added by the application's main class.
 */
@Command(
    name = "runledger",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = "Define reusable actions, run them safely, review what happened.",
    footer = {
      "",
      "Client commands talk to --url with --token, else to $RUNLEDGER_URL with",
      "$RUNLEDGER_TOKEN, else to the current context of ~/.config/runledger/config.yaml",
      "(see runledger context), else to " + ClientConfig.DEFAULT_URL + ".",
      "Exit codes: 0 ok, 1 run failed or other error, 2 usage, 3 not found,",
      "4 unauthorized or forbidden, 5 server unreachable or busy,",
      "6 rejected (validation, conflict), 130 interrupted."
    })
public final class Cli {

  private Cli() {}

  /** The root command for this process: real environment variables, console and clock. */
  public static CommandLine commandLine() {
    return commandLine(ClientEnvironment.system());
  }

  /** The root command with client commands reading the given environment. */
  public static CommandLine commandLine(ClientEnvironment env) {
    CommandLine root = new CommandLine(new Cli());
    root.addSubcommand("apply", new ApplyCommand(env));
    root.addSubcommand("definitions", new DefinitionsCommand(env));
    root.addSubcommand("diff", new DiffCommand(env));
    root.addSubcommand("trigger", new TriggerCommand(env));

    CommandLine runs = new CommandLine(new RunsCommand(env));
    runs.addSubcommand("show", new RunShowCommand(env));
    runs.addSubcommand("logs", new RunLogsCommand(env));
    runs.addSubcommand("cancel", new RunCancelCommand(env));
    runs.addSubcommand("abort", new RunAbortCommand(env));
    runs.addSubcommand("retry", new RunRetryCommand(env));
    runs.addSubcommand("rerun", new RunRerunCommand(env));
    runs.addSubcommand("review", new RunReviewCommand(env));
    root.addSubcommand("runs", runs);
    root.addSubcommand("tasks", new TasksCommand(env));

    CommandLine approvals = new CommandLine(new ApprovalsCommand(env));
    for (String decision : new String[] {"approve", "reject"}) {
      ApprovalDecisionCommand command = new ApprovalDecisionCommand(env, decision);
      CommandLine sub = new CommandLine(command);
      sub.getCommandSpec().name(decision).usageMessage().description(command.description());
      approvals.addSubcommand(decision, sub);
    }
    root.addSubcommand("approvals", approvals);

    CommandLine audit = group("Check and export the audit trail.");
    audit.addSubcommand("verify", new AuditVerifyCommand(env));
    audit.addSubcommand("export", new AuditExportCommand(env));
    audit.addSubcommand("anchor", new AuditAnchorCommand(env));
    root.addSubcommand("audit", audit);

    root.addSubcommand("report", new ReportCommand(env));

    CommandLine events = group("Send events to the workflows listening for them.");
    events.addSubcommand("send", new EventSendCommand(env));
    root.addSubcommand("events", events);

    CommandLine secrets = group("Set, list and delete secrets (values are write-only).");
    secrets.addSubcommand("set", new SecretSetCommand(env, System.in));
    secrets.addSubcommand("list", new SecretListCommand(env));
    secrets.addSubcommand("delete", new SecretDeleteCommand(env));
    root.addSubcommand("secrets", secrets);

    CommandLine schedules = group("Work with workflow schedules.");
    schedules.addSubcommand("fire", new ScheduleFireCommand(env));
    root.addSubcommand("schedules", schedules);

    CommandLine hooks = group("Manage workflow webhooks.");
    hooks.addSubcommand("rotate", new HookRotateCommand(env));
    root.addSubcommand("hooks", hooks);

    CommandLine token = group("Create, list and revoke API tokens.");
    token.addSubcommand("create", new TokenCreateCommand(env));
    token.addSubcommand("list", new TokenListCommand(env));
    token.addSubcommand("revoke", new TokenRevokeCommand(env));
    root.addSubcommand("token", token);

    CommandLine context = group("Name servers in the config file and switch between them.");
    context.addSubcommand("list", new ContextListCommand(env));
    context.addSubcommand("use", new ContextUseCommand(env));
    context.addSubcommand("set", new ContextSetCommand(env));
    root.addSubcommand("context", context);

    root.addSubcommand("completion", new CompletionCommand());

    // picocli's usage error is 2, which diff means as "differences"
    CommandLine.IParameterExceptionHandler usage = root.getParameterExceptionHandler();
    root.setParameterExceptionHandler(
        (e, args) -> {
          int code = usage.handleParseException(e, args);
          return e.getCommandLine().getCommand() instanceof DiffCommand ? DiffCommand.USAGE : code;
        });
    return root;
  }

  /** The version in the jar's manifest, or {@code dev} when running from classes. */
  public static String version() {
    String version = Cli.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Supplies {@code --version}. */
  public static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"runledger " + version()};
    }
  }

  private static CommandLine group(String description) {
    CommandLine group = new CommandLine(new Group());
    group.getCommandSpec().usageMessage().description(description);
    return group;
  }

  /** A command that only holds subcommands; run without one, it asks for one. */
  @Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
  static final class Group {}
}
