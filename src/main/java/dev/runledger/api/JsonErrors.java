package dev.runledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/** Says what is wrong with a JSON body in the caller's terms, without the parser's internals. */
final class JsonErrors {
  // Jackson names the source of a location it quotes ("[Source: REDACTED (...); line: 1, ...]").
  private static final Pattern QUOTED_LOCATION =
      Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");

  private JsonErrors() {}

  /** "the body is not valid JSON at line L, column C: what the parser expected". */
  static String describe(JsonProcessingException e) {
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
    return "the body is not valid JSON" + where + ": " + what;
  }
}
