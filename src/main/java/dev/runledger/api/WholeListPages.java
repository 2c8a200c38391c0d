package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pages of lists read whole because they are small (tokens, secrets, one run's timeline): {@code
 * limit} items after the {@code cursor}, as every list pages.
 */
final class WholeListPages {
  private static final Pattern OFFSET = Pattern.compile("[0-9]{1,9}");

  private WholeListPages() {}

  /**
   * Items in the order of a text key (whatever order the store read them in): the cursor is the
   * last key given, so an item removed since does not shift the next page.
   */
  static void byKey(
      Context ctx,
      List<JsonNode> all,
      String keyField,
      Comparator<String> order,
      Pattern cursorForm) {
    int limit = Requests.limit(ctx);
    String cursor = Requests.cursor(ctx, cursorForm);
    Comparator<JsonNode> byKey = Comparator.comparing(i -> i.path(keyField).asText(), order);
    List<JsonNode> rest =
        all.stream()
            .sorted(byKey)
            .filter(i -> cursor == null || order.compare(i.path(keyField).asText(), cursor) > 0)
            .toList();
    List<JsonNode> page = rest.subList(0, Math.min(limit, rest.size()));
    String next = rest.size() > limit ? page.get(limit - 1).path(keyField).asText() : null;
    Responses.page(ctx, page, next);
  }

  /** Items of a list that only grows at its end: the cursor is how many were given already. */
  static void byOffset(Context ctx, List<JsonNode> all) {
    int limit = Requests.limit(ctx);
    String cursor = Requests.cursor(ctx, OFFSET);
    int from = cursor == null ? 0 : Math.min(Integer.parseInt(cursor), all.size());
    int to = Math.min(from + limit, all.size());
    Responses.page(ctx, all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
  }
}
