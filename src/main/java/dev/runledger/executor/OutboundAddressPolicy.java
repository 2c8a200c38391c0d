package dev.runledger.executor;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an http action may send a request to a URL: internal addresses (loopback,
 * private, link-local, cloud metadata, ...) are refused unless an allowlist permits them.
 */
public final class OutboundAddressPolicy {
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("(0[xX][0-9a-fA-F]*|\\d+)");
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  /** Internal ranges, most specific first so the description names the narrowest one. */
  private static final List<Range> INTERNAL =
      List.of(
          Range.of("169.254.169.254/32", "link-local / cloud metadata address"),
          Range.of("fd00:ec2::254/128", "unique-local / cloud metadata address"),
          Range.of("0.0.0.0/8", "any-local address"),
          Range.of("127.0.0.0/8", "loopback address"),
          Range.of("10.0.0.0/8", "private address"),
          Range.of("172.16.0.0/12", "private address"),
          Range.of("192.168.0.0/16", "private address"),
          Range.of("100.64.0.0/10", "shared (carrier-grade NAT) address"),
          Range.of("169.254.0.0/16", "link-local address"),
          Range.of("192.0.0.0/24", "IETF protocol address (cloud metadata on some providers)"),
          Range.of("224.0.0.0/4", "multicast address"),
          Range.of("240.0.0.0/4", "reserved or broadcast address"),
          Range.of("::/128", "any-local address"),
          Range.of("::1/128", "loopback address"),
          Range.of("fe80::/10", "link-local address"),
          Range.of("fec0::/10", "site-local address"),
          Range.of("fc00::/7", "unique-local address"),
          Range.of("ff00::/8", "multicast address"));

  private final Set<String> allowedHosts;
  private final List<Range> allowedRanges;

  /** Refuses every internal address. */
  public static OutboundAddressPolicy denyInternal() {
    return new OutboundAddressPolicy(Set.of(), List.of());
  }

  /**
   * Reads an allowlist such as {@code "127.0.0.1/32,localhost,10.0.0.0/8,::1"}: host names, IP
   * addresses and CIDR ranges, comma-separated.
   *
   * @throws IllegalArgumentException naming every entry that is none of these
   */
  public static OutboundAddressPolicy parse(String allowlist) {
    Set<String> hosts = new LinkedHashSet<>();
    List<Range> ranges = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String raw : (allowlist == null ? "" : allowlist).split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      try {
        if (entry.contains("/") || entry.contains(":") || CANONICAL_IPV4.matcher(entry).matches()) {
          ranges.add(Range.of(entry, "allowed"));
        } else {
          String host = normalizeHost(entry);
          if (!HOST_NAME.matcher(host).matches() || isNumericLooking(host)) {
            throw new IllegalArgumentException("not a host name, IP address or CIDR range");
          }
          hosts.add(host);
        }
      } catch (IllegalArgumentException e) {
        errors.add("'" + entry + "' (" + e.getMessage() + ")");
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid --allow-http-to entries: " + String.join(", ", errors));
    }
    return new OutboundAddressPolicy(hosts, ranges);
  }

  private OutboundAddressPolicy(Set<String> allowedHosts, List<Range> allowedRanges) {
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedRanges = List.copyOf(allowedRanges);
  }

  /**
   * Why a request to {@code uri} must not be sent, or empty when it may be. Resolves the host.
   *
   * @throws UnknownHostException when the host does not resolve
   */
  public Optional<String> refusal(URI uri) throws UnknownHostException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of(
          "refused to send a request to a "
              + (scheme.isEmpty() ? "URL without a scheme" : scheme + ": URL")
              + ": only http and https are allowed");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      // java.net.URI leaves the host empty for authorities such as 0x7f.1 or 127.1.
      String authority = uri.getRawAuthority();
      return Optional.of(
          authority == null
              ? "refused to send a request to a URL without a host"
              : "refused to send a request to "
                  + authority.substring(authority.indexOf('@') + 1)
                  + ": not a host name or a dotted-decimal IP address");
    }
    String host = normalizeHost(uri.getHost());
    if (allowedHosts.contains(host)) {
      return Optional.empty();
    }
    if (!host.contains(":") && isNumericLooking(host) && !CANONICAL_IPV4.matcher(host).matches()) {
      // 2852039166, 0x7f.1, 0177.0.0.1: forms that tools read differently; none is needed.
      return Optional.of(
          "refused to send a request to "
              + host
              + ": a numeric host must be a dotted-decimal IPv4 address such as 192.0.2.10");
    }
    for (InetAddress address : InetAddress.getAllByName(host)) {
      Optional<String> refused = refusalOf(host, address);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusalOf(String host, InetAddress address) {
    List<InetAddress> forms = new ArrayList<>();
    forms.add(address);
    embeddedIpv4(address).ifPresent(forms::add);
    for (InetAddress form : forms) {
      if (allowedRanges.stream().anyMatch(r -> r.contains(form))) {
        return Optional.empty();
      }
    }
    for (InetAddress form : forms) {
      for (Range range : INTERNAL) {
        if (range.contains(form)) {
          String shown = address.getHostAddress();
          String target = host.equals(shown) ? shown : host + " (" + shown + ")";
          return Optional.of(
              "refused to send a request to "
                  + target
                  + " ("
                  + range.description()
                  + "): outbound HTTP to internal addresses is off; allow it with"
                  + " --allow-http-to");
        }
      }
    }
    return Optional.empty();
  }

  /** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address. */
  private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] b = address.getAddress();
    boolean firstTenZero = true;
    for (int i = 0; i < 10; i++) {
      firstTenZero &= b[i] == 0;
    }
    boolean mapped = firstTenZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0;
    boolean nat64 =
        b[0] == 0
            && b[1] == 0x64
            && b[2] == (byte) 0xff
            && b[3] == (byte) 0x9b
            && allZero(b, 4, 12);
    if (!mapped && !compatible && !nat64) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String normalizeHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  /** A host whose last label is a number is read as an IPv4 address by URL parsers. */
  private static boolean isNumericLooking(String host) {
    String[] labels = host.split("\\.");
    return labels.length > 0 && NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches();
  }

  /** A CIDR range. */
  private record Range(byte[] network, int prefix, String description) {
    static Range of(String cidr, String description) {
      int slash = cidr.indexOf('/');
      String literal = slash < 0 ? cidr : cidr.substring(0, slash);
      InetAddress address = parseLiteral(normalizeHost(literal));
      int bits = address.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String text = cidr.substring(slash + 1);
        if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > bits) {
          throw new IllegalArgumentException("prefix must be 0-" + bits);
        }
        prefix = Integer.parseInt(text);
      }
      return new Range(address.getAddress(), prefix, description);
    }

    private static InetAddress parseLiteral(String literal) {
      boolean ipv4 = CANONICAL_IPV4.matcher(literal).matches();
      boolean ipv6 = literal.contains(":") && literal.matches("[0-9a-f:.]+");
      if (!ipv4 && !ipv6) {
        throw new IllegalArgumentException("not an IP address");
      }
      try {
        // A literal: no name lookup happens.
        return InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address");
      }
    }

    boolean contains(InetAddress address) {
      byte[] candidate = address.getAddress();
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (candidate[full] & mask) == (network[full] & mask);
    }
  }
}
