package dev.runledger.model;

/**
 * What a workflow step's {@code uses:} names: an action by name (latest at trigger time), by
 * revision ({@code name@3}) or by definition hash ({@code sha256:...}), or a child workflow ({@code
 * workflow:name}).
 *
 * @param revision null unless pinned by revision
 * @param hash null unless pinned by hash
 */
public record StepTarget(String kind, String name, Integer revision, String hash) {

  public boolean isWorkflow() {
    return kind.equals("workflow");
  }

  /**
   * Parses a {@code uses:} value.
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  public static StepTarget parse(String uses) {
    String text = uses == null ? "" : uses.trim();
    if (text.startsWith("workflow:")) {
      String name = text.substring("workflow:".length());
      requireName(name, uses);
      return new StepTarget("workflow", name, null, null);
    }
    if (text.startsWith("sha256:")) {
      if (!text.matches("sha256:[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "'" + uses + "' is not a definition hash (sha256: and 64 lower-case hex digits)");
      }
      return new StepTarget("action", null, null, text);
    }
    int at = text.lastIndexOf('@');
    if (at > 0) {
      String name = text.substring(0, at);
      requireName(name, uses);
      try {
        int revision = Integer.parseInt(text.substring(at + 1));
        if (revision < 1) {
          throw new NumberFormatException();
        }
        return new StepTarget("action", name, revision, null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + uses + "': the revision after @ is a whole number from 1");
      }
    }
    requireName(text, uses);
    return new StepTarget("action", text, null, null);
  }

  private static void requireName(String name, String uses) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException(
          "'"
              + uses
              + "' is not an action (name, name@revision or sha256:<hash>) or workflow:<name>");
    }
  }

  @Override
  public String toString() {
    if (isWorkflow()) {
      return "workflow:" + name;
    }
    if (hash != null) {
      return hash;
    }
    return revision == null ? name : name + "@" + revision;
  }
}
