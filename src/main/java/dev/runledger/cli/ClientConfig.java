package dev.runledger.cli;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where and as whom a client command talks to a server: the base URL, the bearer token (may be
 * absent), and the project every request is scoped to (absent means the server's default).
 */
public record ClientConfig(URI baseUrl, String token, String project) {

  public static final String URL_VARIABLE = "RUNLEDGER_URL";
  public static final String TOKEN_VARIABLE = "RUNLEDGER_TOKEN";
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  /**
   * The configuration from environment variables, each overridden by its option when that is given.
   *
   * @throws CliException when the URL is not an absolute http(s) URL
   */
  public static ClientConfig resolve(
      ClientEnvironment env, String urlOption, String tokenOption, String project) {
    String url = firstNonBlank(urlOption, env.get(URL_VARIABLE), DEFAULT_URL);
    String token = firstNonBlank(tokenOption, env.get(TOKEN_VARIABLE), null);
    return new ClientConfig(parseUrl(url), token, blankToNull(project));
  }

  /** The configuration from a map of environment variables alone. */
  public static ClientConfig fromEnvironment(java.util.Map<String, String> variables) {
    return resolve(ClientEnvironment.of(variables), null, null, null);
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
        throw new CliException(
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
      throw new CliException(
          "the server URL '" + text + "' is not a valid URL: " + e.getReason(), e);
    }
  }

  private static String firstNonBlank(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) return a.trim();
    if (b != null && !b.isBlank()) return b.trim();
    return fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
