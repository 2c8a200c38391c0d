package dev.runledger.model;

import java.util.List;

/** Input that fails validation; carries every problem found, each naming its field. */
public class InvalidInputException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidInputException(String message, List<FieldError> errors) {
    super(message);
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String field, String message) {
    this(message, List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
