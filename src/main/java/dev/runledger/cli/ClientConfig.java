package dev.runledger.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where and as whom a client command talks to a server: the base URL, the bearer token (may be
 * absent), and the project every request is scoped to (absent means the server's default).
 */
public record ClientConfig(URI baseUrl, String token, String project) {

  public static final String URL_VARIABLE = "RUNLEDGER_URL";
  public static final String TOKEN_VARIABLE = "RUNLEDGER_TOKEN";
  public static final String PROJECT_VARIABLE = "RUNLEDGER_PROJECT";
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  /**
   * The configuration: each of URL, token and (for a command scoped to a project) project from its
   * option, else its environment variable, else the selected context of the config file, else the
   * default.
   *
   * @param options the command's {@code --url --token --context --config}
   * @param projectOption {@code --project}, or {@code null}
   * @param scoped whether the command works within a project; others send none
   * @throws CliException when the URL is not an absolute http(s) URL, or the context named or its
   *     token file does not exist
   */
  static ClientConfig resolve(
      ClientEnvironment env, ConnectionOptions options, String projectOption, boolean scoped) {
    ContextFile file = ContextFile.load(env, options.config);
    Optional<ContextFile.Context> context =
        file.select(firstNonBlank(options.context, env.get(ContextFile.CONTEXT_VARIABLE)));
    String url =
        firstNonBlank(
            options.url,
            env.get(URL_VARIABLE),
            context.map(ContextFile.Context::url).orElse(null),
            DEFAULT_URL);
    String token = firstNonBlank(options.token, env.get(TOKEN_VARIABLE));
    if (token == null && context.isPresent()) {
      token = file.token(context.get()).orElse(null);
    }
    String project =
        scoped
            ? firstNonBlank(
                projectOption,
                env.get(PROJECT_VARIABLE),
                context.map(ContextFile.Context::project).orElse(null))
            : null;
    return new ClientConfig(parseUrl(url), token, project);
  }

  /** The configuration from a map of environment variables alone (no config file). */
  public static ClientConfig fromEnvironment(java.util.Map<String, String> variables) {
    String url = firstNonBlank(variables.get(URL_VARIABLE), DEFAULT_URL);
    return new ClientConfig(
        parseUrl(url),
        firstNonBlank(variables.get(TOKEN_VARIABLE)),
        firstNonBlank(variables.get(PROJECT_VARIABLE)));
  }

  static URI parseUrl(String text) {
    String trimmed = text.trim();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new UsageException(
            "the server URL must be an absolute http(s) URL such as "
                + DEFAULT_URL
                + ", not '"
                + text
                + "' (set "
                + URL_VARIABLE
                + " or --url)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException(
          "the server URL '" + text + "' is not a valid URL: " + e.getReason(), e);
    }
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }
}
