package dev.runledger.web;

import java.util.List;

/**
 * The Audit page: the chain's state, the filters as the URL has them, one page of events (newest
 * first) and the link to older ones.
 */
public record AuditPage(
    Chrome chrome,
    ChainState chain,
    AuditQuery query,
    List<AuditRow> rows,
    String nextHref,
    List<String> types) {}
