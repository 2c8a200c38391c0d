package dev.runledger.api;

import java.time.Duration;

/** Where the API reports its requests and finds the text of {@code GET /metrics}. */
public interface ApiMetrics {
  ApiMetrics NONE =
      new ApiMetrics() {
        @Override
        public void request(String method, String route, int status, Duration took) {}

        @Override
        public String scrape() {
          return "";
        }
      };

  /** One request answered: its method, route template (not its path), status and duration. */
  void request(String method, String route, int status, Duration took);

  /** The metrics in Prometheus text format (version 0.0.4). */
  String scrape();
}
