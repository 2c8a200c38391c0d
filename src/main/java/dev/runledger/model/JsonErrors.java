package dev.runledger.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a JSON or YAML text in its reader's terms, without the parser's
 * internals.
 */
public final class JsonErrors {
  // Jackson names the source of a location it quotes ("[Source: REDACTED (...); line: 1, ...]").
  private static final Pattern QUOTED_LOCATION =
      Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");

  private JsonErrors() {}

  /** "{@code subject} at line L, column C: what the parser expected". */
  public static String describe(String subject, JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    String what =
        QUOTED_LOCATION
            .matcher(String.valueOf(e.getOriginalMessage()))
            .replaceAll("line $1, column $2");
    return subject + where + ": " + what;
  }
}
