package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every page route, walked from the UI's own table: without a session a page goes to the login and
 * a form post is refused; a principal one role below the route's is refused with 403 and nothing
 * changes; a form post without its session's CSRF token is refused.
 */
class WebAuthorizationTest {
  static TestServer server;
  static String runId;
  static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    ApiClient admin = server.admin();
    admin.putYaml("/api/actions/wait", "kind: action\nname: wait\nbuiltin: {sleep: {for: 1h}}\n");
    runId = admin.post("/api/actions/wait/trigger", Map.of()).json().get("id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A browser of one person: cookies, and the CSRF token of the pages it opened. */
  static final class Person {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String csrf;

    HttpResponse<String> get(String path) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.node().url() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = CSRF.matcher(r.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return r;
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      StringBuilder body = new StringBuilder();
      form.forEach(
          (k, v) ->
              body.append(body.length() == 0 ? "" : "&")
                  .append(k)
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return http.send(
          HttpRequest.newBuilder(URI.create(server.node().url() + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    static Person signedIn(String token) throws Exception {
      Person p = new Person();
      HttpResponse<String> r = p.post("/login", Map.of("token", token, "next", "/runs"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
      p.get("/runs");
      assertThat(p.csrf).isNotNull();
      return p;
    }
  }

  static List<PageRoute> routes() {
    return ((WebUi) server.node().api().ui()).routes();
  }

  static String concrete(String path) {
    return path.replace("{id}", runId)
        .replace("{name}", "wait")
        .replace("{sha256}", "0".repeat(64))
        .replaceAll("\\{[^}]+}", "x");
  }

  @Test
  void without_a_session_a_page_goes_to_the_login_and_a_post_is_refused() throws Exception {
    assertThat(routes()).hasSizeGreaterThan(8);
    Person anonymous = new Person();
    SoftAssertions soft = new SoftAssertions();
    for (PageRoute route : routes()) {
      String path = concrete(route.path());
      HttpResponse<String> r =
          route.method().equals("GET") ? anonymous.get(path) : anonymous.post(path, Map.of());
      if (route.method().equals("GET")) {
        soft.assertThat(r.statusCode()).as("GET " + path).isEqualTo(303);
        soft.assertThat(r.headers().firstValue("Location").orElse(""))
            .as("GET " + path)
            .startsWith("/login?next=");
      } else {
        soft.assertThat(r.statusCode()).as("POST " + path).isEqualTo(401);
      }
    }
    soft.assertAll();
  }

  @Test
  void one_role_below_a_route_is_refused_and_nothing_changes() throws Exception {
    ApiClient admin = server.admin();
    Map<Role, Person> people = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      String token =
          admin
              .post("/api/tokens", Map.of("name", "web-" + role.wire(), "role", role.wire()))
              .json()
              .get("token")
              .asText();
      people.put(role, Person.signedIn(token));
    }
    SoftAssertions soft = new SoftAssertions();
    int checked = 0;
    for (PageRoute route : routes()) {
      if (route.role() == Role.VIEWER) {
        continue;
      }
      Person below = people.get(Role.values()[route.role().ordinal() - 1]);
      String path = concrete(route.path());
      HttpResponse<String> r =
          route.method().equals("GET")
              ? below.get(path)
              : below.post(path, Map.of("_csrf", below.csrf, "decision", "approve"));
      soft.assertThat(r.statusCode())
          .as(route.method() + " " + path + ": " + r.body())
          .isEqualTo(403);
      checked++;
    }
    soft.assertAll();
    assertThat(checked).isGreaterThan(3);
    assertThat(admin.get("/api/runs/" + runId).json().get("status").asText()).isEqualTo("running");
  }

  @Test
  void a_post_without_its_sessions_csrf_token_is_refused() throws Exception {
    Person admin = Person.signedIn(TestServer.ADMIN_TOKEN);
    SoftAssertions soft = new SoftAssertions();
    for (PageRoute route : routes()) {
      if (!route.method().equals("POST")) {
        continue;
      }
      String path = concrete(route.path());
      soft.assertThat(admin.post(path, Map.of()).statusCode()).as("POST " + path).isEqualTo(403);
      soft.assertThat(admin.post(path, Map.of("_csrf", "forged")).statusCode())
          .as("POST " + path + " with a forged token")
          .isEqualTo(403);
    }
    soft.assertAll();
    assertThat(server.admin().get("/api/runs/" + runId).json().get("status").asText())
        .isEqualTo("running");
  }
}
