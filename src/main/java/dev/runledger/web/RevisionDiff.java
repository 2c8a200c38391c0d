package dev.runledger.web;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified line diff between two revisions' YAML, as a page shows it: each line with its kind
 * ({@code add}, {@code del}, {@code ctx} or {@code hunk}) so additions and removals are styled.
 *
 * @param from the older revision's number as chosen
 * @param to the newer one's
 */
public record RevisionDiff(int from, int to, List<Line> lines, int added, int removed) {
  private static final int CONTEXT = 3;

  /** One line of the diff: its kind, the sign a unified diff gives it and its text. */
  public record Line(String kind, String sign, String text) {}

  public boolean same() {
    return added == 0 && removed == 0;
  }

  static RevisionDiff of(int from, String fromText, int to, String toText) {
    List<String> a = fromText.lines().toList();
    List<String> b = toText.lines().toList();
    Patch<String> patch = DiffUtils.diff(a, b);
    List<String> unified =
        UnifiedDiffUtils.generateUnifiedDiff(
            "revision " + from, "revision " + to, a, patch, CONTEXT);
    List<Line> lines = new ArrayList<>();
    int added = 0;
    int removed = 0;
    for (String u : unified) {
      if (u.startsWith("---") || u.startsWith("+++")) {
        continue;
      }
      if (u.startsWith("@@")) {
        lines.add(new Line("hunk", "", u));
      } else if (u.startsWith("+")) {
        lines.add(new Line("add", "+", u.substring(1)));
        added++;
      } else if (u.startsWith("-")) {
        lines.add(new Line("del", "-", u.substring(1)));
        removed++;
      } else {
        lines.add(new Line("ctx", " ", u.isEmpty() ? "" : u.substring(1)));
      }
    }
    return new RevisionDiff(from, to, lines, added, removed);
  }
}
