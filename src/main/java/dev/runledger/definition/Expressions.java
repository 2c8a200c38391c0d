package dev.runledger.definition;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runledger's CEL environment: compiles expressions once (cached, thread-safe), checks them when a
 * definition is saved, and evaluates them with bounded cost.
 *
 * <p>Variables: {@code inputs}, {@code trigger}, {@code event}, {@code run}, {@code steps}, {@code
 * secrets}, {@code response}, {@code outputs} (maps with string keys), {@code item} (any value) and
 * {@code now} (a timestamp; from the clock unless given). A variable not bound at evaluation is an
 * empty map ({@code item}: null), so {@code has(event.x)} works in a run no event started.
 */
public final class Expressions {
  /** Longest expression accepted, in characters. */
  public static final int MAX_EXPRESSION_CHARS = 4096;

  /** Most comprehension iterations ({@code all}, {@code map}, {@code filter}...) per evaluation. */
  public static final int MAX_ITERATIONS = 10_000;

  /** Longest text (or bytes) any value of an evaluation may have, in characters. */
  public static final int MAX_TEXT = 1 << 20;

  /** Most elements (or entries) any list (or map) of an evaluation may have, by default. */
  public static final int MAX_ELEMENTS = 1_000_000;

  /** Most cost per evaluation: one a step plus the size of each value it makes or reads. */
  public static final long MAX_COST = 10_000_000;

  /**
   * How large an evaluation may get (see {@link EvaluationBudget}).
   *
   * @param maxElements most elements of a list or entries of a map
   * @param maxText most characters of a text or bytes of a byte string
   * @param maxCost most cost of one evaluation
   */
  public record Limits(int maxElements, int maxText, long maxCost) {
    public static final Limits DEFAULT = new Limits(MAX_ELEMENTS, MAX_TEXT, MAX_COST);

    /** The default limits with room for lists of {@code elements} (subjects of a fan-out). */
    public static Limits withElements(int elements) {
      return new Limits(Math.max(MAX_ELEMENTS, elements), MAX_TEXT, MAX_COST);
    }

    void checkText(long size) {
      checkText(size, "a value");
    }

    void checkText(long size, String what) {
      if (size > maxText) {
        throw tooLarge(what + " would be " + size + " characters long", false, size, maxText);
      }
    }

    void checkElements(long size) {
      checkElements(size, "a value");
    }

    void checkElements(long size, String what) {
      if (size > maxElements) {
        throw tooLarge(what + " would have " + size + " elements", true, size, maxElements);
      }
    }

    private static ExpressionLimitException tooLarge(
        String would, boolean elements, long size, long limit) {
      return new ExpressionLimitException(
          would + ", more than the limit of " + limit, elements, size, limit);
    }
  }

  /** The map-typed variables. */
  public static final List<String> MAP_VARIABLES =
      List.of("inputs", "trigger", "event", "run", "steps", "secrets", "response", "outputs");

  private static final int MAX_CACHED = 10_000;
  private static final Pattern EVAL_PREFIX =
      Pattern.compile("^evaluation error(?: at <input>:(\\d+))?: ");
  private static final Pattern MISSING_KEY =
      Pattern.compile("key '(.*)' is not present in map\\.?");

  private final Cel cel;
  private final Clock clock;
  private final Limits limits;
  private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

  /** A compiled program, or what is wrong with the expression. */
  private record Compiled(CelRuntime.Program program, List<String> problems) {}

  /** Variables converted once for many evaluations (see {@link #bind}). */
  public static final class Bindings {
    private final Map<String, Object> values;

    private Bindings(Map<String, Object> values) {
      this.values = values;
    }
  }

  public Expressions(Clock clock) {
    this(clock, Limits.DEFAULT);
  }

  public Expressions(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
    CelOptions options =
        CelOptions.current()
            .maxExpressionCodePointSize(MAX_EXPRESSION_CHARS)
            .maxParseRecursionDepth(64)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxRegexProgramSize(1_000)
            .enableOptionalSyntax(true)
            .build();
    CelType stringMap = MapType.create(SimpleType.STRING, SimpleType.DYN);
    var builder =
        CelFactory.standardCelBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(
                CelExtensions.strings(),
                CelExtensions.math(options),
                CelExtensions.encoders(options),
                CelExtensions.lists(),
                CelExtensions.optional())
            .addRuntimeLibraries(
                CelExtensions.strings(),
                CelExtensions.math(options),
                CelExtensions.encoders(options),
                CelExtensions.lists(),
                CelExtensions.optional())
            .addFunctionBindings(BoundedFunctions.bindings(limits))
            .addVar("item", SimpleType.DYN)
            .addVar("now", SimpleType.TIMESTAMP);
    for (String name : MAP_VARIABLES) {
      builder.addVar(name, stringMap);
    }
    this.cel = builder.build();
  }

  /**
   * What is wrong with each {@code ${{ }}} in a template, with positions; empty when all compile.
   */
  public List<String> compileCheck(String text) {
    if (!TemplateSyntax.hasExpression(text)) {
      return List.of();
    }
    List<TemplateSyntax.Part> parts;
    try {
      parts = TemplateSyntax.parse(text);
    } catch (ExpressionException e) {
      return List.of(e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    for (TemplateSyntax.Part part : parts) {
      if (part.isExpression()) {
        for (String problem : check(part.expression())) {
          problems.add(located(part.expression(), problem));
        }
      }
    }
    return problems;
  }

  /**
   * What is wrong with a bare expression (an {@code if:} condition), each problem starting with its
   * position when known ("at column 7: ..."); empty when it compiles.
   */
  public List<String> check(String expression) {
    return compile(expression).problems();
  }

  /**
   * Evaluates an expression.
   *
   * @return the CEL value (Long, Double, String, Boolean, Map, List, NullValue, Instant...); see
   *     {@link CelValues#toJson} and {@link CelValues#toText}
   * @throws ExpressionException naming the expression and why
   */
  public Object evaluate(String expression, Bindings bindings) {
    Compiled compiled = compile(expression);
    if (compiled.program() == null) {
      throw new ExpressionException(located(expression, String.join("; ", compiled.problems())));
    }
    try {
      return compiled.program().trace(bindings.values, new EvaluationBudget(limits));
    } catch (CelEvaluationException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ExpressionLimitException limit) {
          throw new ExpressionLimitException(
              "in `" + shown(expression) + "`: " + limit.getMessage(), limit);
        }
      }
      throw new ExpressionException("in `" + shown(expression) + "`: " + explain(e), e);
    }
  }

  /** Evaluates an expression against plain variables (converted with {@link CelValues#toCel}). */
  public Object evaluate(String expression, Map<String, ?> variables) {
    return evaluate(expression, bind(variables));
  }

  /**
   * Evaluates a condition.
   *
   * @throws ExpressionException also when the result is not a boolean
   */
  public boolean test(String condition, Bindings bindings) {
    Object value = evaluate(condition, bindings);
    if (value instanceof Boolean b) {
      return b;
    }
    throw new ExpressionException(
        "in `"
            + shown(condition)
            + "`: a condition must be true or false, not "
            + ObjectReader.abbreviate(CelValues.toText(value)));
  }

  /** Converts variables once, for several evaluations against the same values. */
  public Bindings bind(Map<String, ?> variables) {
    Map<String, Object> values = new HashMap<>();
    for (String name : MAP_VARIABLES) {
      values.put(name, Collections.emptyMap());
    }
    values.put("item", dev.cel.common.values.NullValue.NULL_VALUE);
    values.put("now", clock.instant());
    variables.forEach((name, value) -> values.put(name, CelValues.toCel(value)));
    return new Bindings(values);
  }

  private Compiled compile(String expression) {
    Compiled compiled = cache.get(expression);
    if (compiled != null) {
      return compiled;
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear(); // definitions hold far fewer; this only bounds memory against abuse
    }
    return cache.computeIfAbsent(expression, this::compileUncached);
  }

  private Compiled compileUncached(String expression) {
    if (expression.isBlank()) {
      return new Compiled(null, List.of("the expression is empty"));
    }
    if (expression.length() > MAX_EXPRESSION_CHARS) {
      return new Compiled(
          null,
          List.of(
              "the expression is too long ("
                  + expression.length()
                  + " characters, at most "
                  + MAX_EXPRESSION_CHARS
                  + ")"));
    }
    CelValidationResult result;
    try {
      result = cel.compile(expression);
    } catch (RuntimeException e) {
      return new Compiled(null, List.of(firstLine(e.getMessage())));
    }
    if (result.hasError()) {
      List<String> problems = new ArrayList<>();
      for (CelIssue issue : result.getErrors()) {
        String at = position(issue.getSourceLocation());
        problems.add(
            at.isEmpty() ? clean(issue.getMessage()) : at + ": " + clean(issue.getMessage()));
      }
      return new Compiled(null, problems);
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return new Compiled(cel.createProgram(ast), List.of());
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      return new Compiled(null, List.of(firstLine(e.getMessage())));
    }
  }

  private static String position(CelSourceLocation location) {
    if (location == null || location.getLine() < 1) {
      return "";
    }
    int column = location.getColumn() + 1;
    return location.getLine() == 1
        ? "at column " + column
        : "at line " + location.getLine() + ", column " + column;
  }

  private static String clean(String message) {
    return firstLine(message).replace(" (in container '')", "");
  }

  private static String explain(Exception e) {
    String message = firstLine(e.getMessage());
    String position = "";
    Matcher prefix = EVAL_PREFIX.matcher(message);
    if (prefix.find()) {
      if (prefix.group(1) != null) {
        position = " (at column " + (Integer.parseInt(prefix.group(1)) + 1) + ")";
      }
      message = message.substring(prefix.end());
    }
    Matcher missing = MISSING_KEY.matcher(message);
    if (missing.matches()) {
      return "no such key: " + missing.group(1) + position + "; test with has() first";
    }
    return message + position;
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "failed";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  private static String located(String expression, String problem) {
    String prefix = "in `" + shown(expression) + "`";
    return problem.startsWith("at ") ? prefix + " " + problem : prefix + ": " + problem;
  }

  /** The expression as an author wrote it, abbreviated for messages. */
  static String shown(String expression) {
    return "${{ " + ObjectReader.abbreviate(expression) + " }}";
  }

  /** How large an evaluation may get. */
  public Limits limits() {
    return limits;
  }

  /** For tests: how many compiled expressions are cached. */
  int cachedCount() {
    return cache.size();
  }
}
