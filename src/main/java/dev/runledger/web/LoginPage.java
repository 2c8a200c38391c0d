package dev.runledger.web;

/**
 * The login form.
 *
 * @param next where to go once signed in
 * @param error why the last attempt failed, or null
 * @param invalid whether the token field is marked invalid
 */
public record LoginPage(String next, String error, boolean invalid) {}
