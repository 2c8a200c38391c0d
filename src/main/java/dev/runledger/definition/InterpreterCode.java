package dev.runledger.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds where an argv hands text to an interpreter as code: the program of {@code bash -c}, {@code
 * python3 -c}, {@code perl -e}, {@code node -e} and their kind, also behind {@code /usr/bin/env}
 * and similar wrappers. A {@code ${{ }}} template there would run a parameter as code, and so would
 * one where the interpreter still reads its options (a parameter {@code -c...} turns into code).
 * Arguments after the code (the {@code $1}, {@code sys.argv} of the program) are data and fine.
 */
final class InterpreterCode {
  /** An argument a template must not fill, and why. */
  record Finding(int index, String interpreter, boolean isOption) {}

  private static final Pattern SHELL =
      Pattern.compile("(ba|da|z|k|mk|a|ya|rba|c|tc|fi)?sh|busybox-sh");
  private static final Pattern PYTHON = Pattern.compile("(python|pypy)(\\d+(\\.\\d+)*)?");
  private static final Pattern PERL = Pattern.compile("perl(\\d+(\\.\\d+)*)?");
  private static final Pattern RUBY = Pattern.compile("j?ruby(\\d+(\\.\\d+)*)?");
  private static final Pattern NODE = Pattern.compile("node(js)?|bun");
  private static final Pattern PHP = Pattern.compile("php(\\d+(\\.\\d+)*)?(-cli)?");
  private static final Pattern LUA = Pattern.compile("lua(jit|\\d+(\\.\\d+)*)?");
  private static final Pattern AWK = Pattern.compile("[gmn]?awk");
  private static final Pattern POWERSHELL = Pattern.compile("pwsh|powershell");
  private static final java.util.Map<String, Set<String>> WRAPPER_VALUE_OPTIONS =
      java.util.Map.of(
          "nice", Set.of("-n", "--adjustment"),
          "ionice", Set.of("-c", "-n", "-p", "-P", "-u", "--class", "--classdata"),
          "stdbuf", Set.of("-i", "-o", "-e"),
          "time", Set.of("-o", "-f", "--output", "--format"));
  private static final Set<String> RSCRIPT = Set.of("Rscript", "osascript");

  private InterpreterCode() {}

  /** The arguments of {@code argv} (as written, before rendering) a template must not fill. */
  static List<Finding> unsafeArguments(List<String> argv) {
    List<Finding> found = new ArrayList<>();
    int program = programIndex(argv, found);
    if (program < 0 || program >= argv.size()) {
      return found;
    }
    String name = baseName(argv.get(program));
    Scan scan = new Scan(argv, program + 1, name, found);
    if (SHELL.matcher(name).matches()) {
      scan.shell();
    } else if (PYTHON.matcher(name).matches()) {
      scan.clustered("c", "mWX", "", true);
    } else if (PERL.matcher(name).matches()) {
      scan.clustered("eE", "IMm", "il0CdDxV", false);
    } else if (RUBY.matcher(name).matches()) {
      scan.clustered("e", "IrCEF", "ixW0Tl", false);
    } else if (LUA.matcher(name).matches()) {
      scan.clustered("e", "l", "", false);
    } else if (NODE.matcher(name).matches()) {
      scan.separate(Set.of("-e", "--eval", "-p", "--print", "-pe"), Set.of("-r", "--require"));
    } else if (PHP.matcher(name).matches()) {
      scan.separate(Set.of("-r", "-B", "-R", "-E"), Set.of("-d", "-c", "-z"));
    } else if (RSCRIPT.contains(name)) {
      scan.separate(Set.of("-e"), Set.of());
    } else if (AWK.matcher(name).matches()) {
      scan.awk();
    } else if (POWERSHELL.matcher(name).matches()) {
      scan.powershell();
    }
    return found;
  }

  /**
   * The index of the program after wrappers ({@code env}, {@code nice}, {@code timeout}...), or -1
   * when a template makes it unknowable. {@code env -S}'s string is itself recorded as code.
   */
  private static int programIndex(List<String> argv, List<Finding> found) {
    int i = 0;
    while (i < argv.size()) {
      String arg = argv.get(i);
      if (TemplateSyntax.hasExpression(arg)) {
        return -1;
      }
      String name = baseName(arg);
      i++;
      switch (name) {
        case "env" -> {
          while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("-S") || a.equals("--split-string")) {
              found.add(new Finding(Math.min(i + 1, argv.size() - 1), "env -S", false));
              return -1;
            } else if (a.startsWith("-S") || a.startsWith("--split-string=")) {
              found.add(new Finding(i, "env -S", false));
              return -1;
            } else if (a.equals("-u")
                || a.equals("--unset")
                || a.equals("-C")
                || a.equals("--chdir")) {
              i += 2;
            } else if (a.equals("--")) {
              i++;
              break;
            } else if (a.startsWith("-") || a.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
              i++;
            } else {
              break;
            }
          }
        }
        case "nice", "ionice", "stdbuf", "setsid", "nohup", "time" -> {
          Set<String> valued = WRAPPER_VALUE_OPTIONS.getOrDefault(name, Set.of());
          while (i < argv.size() && argv.get(i).startsWith("-")) {
            i += valued.contains(argv.get(i)) ? 2 : 1;
          }
        }
        case "timeout" -> {
          while (i < argv.size() && argv.get(i).startsWith("-")) {
            i += argv.get(i).matches("-[sk]|--signal|--kill-after") ? 2 : 1;
          }
          i++; // the duration
        }
        case "busybox" -> {
          // the next argument is the applet: busybox sh -c ...
        }
        default -> {
          return i - 1;
        }
      }
    }
    return -1;
  }

  private static String baseName(String program) {
    return program.substring(program.lastIndexOf('/') + 1);
  }

  /** Walks the interpreter's arguments, recording those a template must not fill. */
  private static final class Scan {
    private final List<String> argv;
    private final String interpreter;
    private final List<Finding> found;
    private int i;

    Scan(List<String> argv, int from, String interpreter, List<Finding> found) {
      this.argv = argv;
      this.i = from;
      this.interpreter = interpreter;
      this.found = found;
    }

    /** An option position: a template here could become an option such as -c. */
    private boolean templatedOption() {
      if (i < argv.size() && TemplateSyntax.hasExpression(argv.get(i))) {
        found.add(new Finding(i, interpreter, true));
        return true;
      }
      return false;
    }

    private void code(int index) {
      if (index < argv.size() && TemplateSyntax.hasExpression(argv.get(index))) {
        found.add(new Finding(index, interpreter, false));
      }
    }

    /** sh -c: options (-e, -ec, -lc, -o name, +x) then, with c among them, the program. */
    void shell() {
      boolean command = false;
      for (; i < argv.size(); i++) {
        String a = argv.get(i);
        if (command && !a.startsWith("-") && !a.startsWith("+")) {
          break; // the first argument that is no option is -c's program
        }
        if (templatedOption()) {
          return;
        }
        if (a.equals("--") || a.equals("-")) {
          i++;
          break;
        }
        if (a.startsWith("--")) {
          command |= a.equals("--command") || a.startsWith("--command=");
          if (a.startsWith("--command=")) {
            code(i);
            return;
          }
          if (a.equals("--rcfile") || a.equals("--init-file")) {
            i++;
          }
        } else if ((a.startsWith("-") || a.startsWith("+")) && a.length() > 1) {
          command |= a.indexOf('c', 1) > 0;
          if (a.indexOf('o', 1) > 0 || a.indexOf('O', 1) > 0) {
            i++;
          }
        } else {
          break;
        }
      }
      if (command) {
        code(i);
      }
    }

    /**
     * Options in clusters ({@code -Bc}, {@code -lne}): a {@code codeFlags} letter takes the rest of
     * the cluster or the next argument as code; a {@code valueFlags} letter takes the rest or the
     * next argument as its value; an {@code attachedFlags} letter takes only the rest.
     */
    void clustered(
        String codeFlags, String valueFlags, String attachedFlags, boolean codeEndsOptions) {
      for (; i < argv.size(); i++) {
        if (templatedOption()) {
          return;
        }
        String a = argv.get(i);
        if (a.equals("--") || a.equals("-") || !a.startsWith("-")) {
          return;
        }
        if (a.startsWith("--")) {
          continue;
        }
        for (int k = 1; k < a.length(); k++) {
          char flag = a.charAt(k);
          boolean rest = k + 1 < a.length();
          if (codeFlags.indexOf(flag) >= 0) {
            if (rest) {
              code(i);
            } else {
              code(++i);
            }
            if (codeEndsOptions) {
              return;
            }
            break;
          }
          if (valueFlags.indexOf(flag) >= 0) {
            if (!rest) {
              i++;
            }
            break;
          }
          if (attachedFlags.indexOf(flag) >= 0) {
            break;
          }
        }
      }
    }

    /** Options one per argument: {@code codeOptions} take code next (or after '='). */
    void separate(Set<String> codeOptions, Set<String> valueOptions) {
      for (; i < argv.size(); i++) {
        if (templatedOption()) {
          return;
        }
        String a = argv.get(i);
        if (a.equals("--") || !a.startsWith("-")) {
          return;
        }
        int eq = a.indexOf('=');
        String option = eq < 0 ? a : a.substring(0, eq);
        if (codeOptions.contains(option)) {
          code(eq < 0 ? ++i : i);
        } else if (valueOptions.contains(option) && eq < 0) {
          i++;
        }
      }
    }

    /** awk: options (-F fs, -v a=b, -e/--source code), then the program unless -f gave a file. */
    void awk() {
      boolean sourceGiven = false;
      for (; i < argv.size(); i++) {
        if (templatedOption()) {
          return;
        }
        String a = argv.get(i);
        if (a.equals("--")) {
          i++;
          break;
        }
        if (!a.startsWith("-") || a.equals("-")) {
          break;
        }
        if (a.equals("-f") || a.startsWith("--file")) {
          return;
        }
        if (a.equals("-e") || a.equals("--source")) {
          code(++i);
          sourceGiven = true;
        } else if (a.startsWith("--source=")) {
          code(i);
          sourceGiven = true;
        } else if (a.equals("-F") || a.equals("-v")) {
          i++;
        }
      }
      if (!sourceGiven) {
        code(i);
      }
    }

    /** pwsh -Command (-c): everything after it is the command. */
    void powershell() {
      for (; i < argv.size(); i++) {
        if (templatedOption()) {
          return;
        }
        String a = argv.get(i).toLowerCase(java.util.Locale.ROOT);
        if (Set.of("-c", "-command", "-commandwithargs", "-cwa", "-encodedcommand", "-ec", "-e")
            .contains(a)) {
          for (int k = i + 1; k < argv.size(); k++) {
            code(k);
          }
          return;
        }
        if (!a.startsWith("-")) {
          return;
        }
      }
    }
  }
}
