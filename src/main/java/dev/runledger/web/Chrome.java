package dev.runledger.web;

import dev.runledger.model.Role;

/**
 * What every page's frame shows: its title, the navigation with the active section, who is signed
 * in, the CSRF token of the page's forms and the project in view.
 *
 * @param section the navigation entry to highlight ({@code runs}, {@code actions}, ...)
 * @param notice a message at the top of the page (an error of the last action, say), or null
 */
public record Chrome(
    String title,
    String section,
    String user,
    String role,
    String csrf,
    String project,
    String notice,
    boolean canOperate,
    boolean canApprove) {

  static Chrome of(WebSession s, String title, String section, String project) {
    return new Chrome(
        title,
        section,
        s.principal().name(),
        s.principal().role().wire(),
        s.csrf(),
        project,
        null,
        s.can(Role.OPERATOR),
        s.can(Role.APPROVER));
  }

  Chrome withNotice(String notice) {
    return new Chrome(title, section, user, role, csrf, project, notice, canOperate, canApprove);
  }

  /** The navigation entries: path, label, section key. */
  public static final String[][] NAV = {
    {"/runs", "Runs", "runs"},
    {"/workflows", "Workflows", "workflows"},
    {"/actions", "Actions", "actions"},
    {"/approvals", "Approvals", "approvals"},
    {"/jobs", "Jobs", "jobs"},
    {"/audit", "Audit", "audit"},
    {"/reports", "Reports", "reports"},
  };

  /** The project as a query suffix for links ({@code ?project=x}), empty for the default. */
  public String projectQuery() {
    return Links.projectQuery(project);
  }
}
