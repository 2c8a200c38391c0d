package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The definition hash: {@code sha256:} and the lowercase hex SHA-256 of the canonical JSON. */
public final class DefinitionHash {
  private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

  private DefinitionHash() {}

  /**
   * Hashes a definition tree (normalize it first, see {@link ActionDefinitionReader#normalize}).
   */
  public static String of(JsonNode definition) {
    return ofCanonical(CanonicalJson.write(definition));
  }

  /** Hashes text that is already canonical JSON. */
  public static String ofCanonical(String canonicalJson) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether the text has the form of a definition hash (as in {@code uses: sha256:...}). */
  public static boolean isHash(String text) {
    return text != null && FORM.matcher(text).matches();
  }
}
