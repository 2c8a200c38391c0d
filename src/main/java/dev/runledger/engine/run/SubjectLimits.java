package dev.runledger.engine.run;

/**
 * How far one run may fan out: subjects (tasks) a step may have, and tasks a run may have over all
 * its steps (a step without forEach is one). Past either, a trigger whose fan-out is known at once
 * gets 400; a fan-out known only later fails its step deterministically.
 */
public record SubjectLimits(int perStep, int perRun) {
  public static final int DEFAULT = 1_000_000;
  public static final SubjectLimits DEFAULTS = new SubjectLimits(DEFAULT, DEFAULT);

  public SubjectLimits {
    if (perStep < 1 || perRun < 1) {
      throw new IllegalArgumentException("subject limits are at least 1");
    }
  }

  /** The most elements a list in an expression must be able to hold for these limits. */
  public int largestList() {
    return Math.max(perStep, perRun);
  }

  String tooManyInStep(String step, long subjects) {
    return "step "
        + step
        + " would fan out to "
        + subjects
        + " subjects, more than the limit of "
        + perStep
        + " subjects per step";
  }

  String tooManyInRun(String step, long subjects, long others) {
    return "step "
        + step
        + " would bring the run to "
        + (subjects + others)
        + " tasks, more than the limit of "
        + perRun
        + " subjects per run";
  }

  static final String HINT =
      "fan out over fewer subjects, or raise the limit (serve --max-subjects-per-step,"
          + " --max-subjects-per-run)";
}
