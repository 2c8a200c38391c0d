package dev.runledger.model;

/**
 * What an Idempotency-Key is bound to besides its principal and project: the request's route
 * ({@code POST /api/actions/hello/trigger}) and a digest of its body.
 */
public record RequestFingerprint(String route, String bodyHash) {}
