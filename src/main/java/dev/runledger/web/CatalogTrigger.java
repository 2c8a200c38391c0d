package dev.runledger.web;

/**
 * One way a definition starts: {@code manual}, a {@code schedule} (its cron and zone, with its next
 * fire time) or an {@code event} type.
 *
 * @param next when a schedule fires next, relative ({@code in 3 h}), or null
 * @param nextAt the same, absolute, for the tooltip
 */
public record CatalogTrigger(String kind, String text, String next, String nextAt, String nextIso) {
  static CatalogTrigger manual() {
    return new CatalogTrigger("manual", "manual", null, null, null);
  }
}
