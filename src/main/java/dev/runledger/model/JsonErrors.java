package dev.runledger.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;
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
        isTrailingContent(e)
            ? "more than one value: a second JSON value or YAML document follows the first"
            : QUOTED_LOCATION
                .matcher(String.valueOf(e.getOriginalMessage()))
                .replaceAll("line $1, column $2");
    return subject + where + ": " + what;
  }

  /**
   * True when the text held more than one value (text after a JSON value, a second YAML document),
   * which Jackson reports naming the Java type it was binding.
   */
  public static boolean isTrailingContent(JsonProcessingException e) {
    return e instanceof MismatchedInputException
        && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
  }

  /** Where in {@code root} a binding failed, as a JSON path: {@code projects[0]}, {@code a.b}. */
  public static String path(String root, JsonMappingException e) {
    StringBuilder at = new StringBuilder(root);
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        at.append(at.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        at.append('[').append(ref.getIndex()).append(']');
      }
    }
    return at.toString();
  }

  /** "{@code at} must be a string" (or a number, a list, ...): what the value should have been. */
  public static String mismatch(String at, JsonMappingException e) {
    Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (type == null) {
      return at + " has the wrong type";
    }
    String expected;
    if (CharSequence.class.isAssignableFrom(type)) {
      expected = "a string";
    } else if (type == Boolean.class || type == boolean.class) {
      expected = "true or false";
    } else if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      expected = "a number";
    } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      expected = "a list";
    } else if (Map.class.isAssignableFrom(type)) {
      expected = "an object";
    } else {
      return at + " has the wrong type";
    }
    return at + " must be " + expected;
  }
}
