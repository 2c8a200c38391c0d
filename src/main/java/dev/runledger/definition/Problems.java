package dev.runledger.definition;

import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/** Collects every validation problem found, each under its field path, to report them together. */
public final class Problems {
  private final List<FieldError> errors = new ArrayList<>();

  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public void addAll(List<FieldError> more) {
    errors.addAll(more);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  /**
   * Throws when any problem was found.
   *
   * @param summary the exception message, for example "invalid action definition"
   */
  public void throwIfAny(String summary) {
    if (!errors.isEmpty()) {
      throw new InvalidInputException(summary, errors);
    }
  }
}
