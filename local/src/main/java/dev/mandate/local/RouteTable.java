package dev.mandate.local;

import dev.mandate.local.TemplateRoutes.RouteSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks the route for a request the way API Gateway HTTP APIs do: the most specific path wins
 * (a literal segment beats {@code {param}}, which beats a greedy {@code {proxy+}}), an exact method
 * beats {@code ANY}, and the {@code $default} route, if any, takes everything else. Unlike API
 * Gateway (which answers 404 to both), a known path with the wrong method is reported separately so
 * the runner can answer 405.
 */
final class RouteTable {
  sealed interface Match permits Found, MethodNotAllowed, NotFound {}

  /** {@code pathParameters} are percent-decoded, as API Gateway delivers them. */
  record Found(RouteSpec route, Map<String, String> pathParameters) implements Match {}

  record MethodNotAllowed(Set<String> allowed) implements Match {}

  record NotFound() implements Match {}

  private enum Kind { GREEDY, PARAM, LITERAL }

  private record Segment(Kind kind, String text) {}

  private record Compiled(RouteSpec route, List<Segment> segments) {}

  private final List<Compiled> routes = new ArrayList<>();
  private final RouteSpec defaultRoute;

  RouteTable(final List<RouteSpec> specs) {
    RouteSpec fallback = null;
    for (final RouteSpec spec : specs) {
      if (spec.path() == null) {
        fallback = spec;
      } else {
        routes.add(new Compiled(spec, compile(spec.path())));
      }
    }
    this.defaultRoute = fallback;
  }

  List<RouteSpec> routes() {
    final List<RouteSpec> all = new ArrayList<>();
    routes.forEach(c -> all.add(c.route()));
    if (defaultRoute != null) {
      all.add(defaultRoute);
    }
    return Collections.unmodifiableList(all);
  }

  Match match(final String method, final String rawPath) {
    final List<String> segments;
    try {
      segments = decodeSegments(rawPath);
    } catch (IllegalArgumentException malformed) {
      return defaultRoute != null ? new Found(defaultRoute, Map.of()) : new NotFound();
    }
    Compiled best = null;
    Map<String, String> bestParams = null;
    final Set<String> allowed = new TreeSet<>();
    for (final Compiled candidate : routes) {
      final Map<String, String> params = bind(candidate.segments(), segments);
      if (params == null) {
        continue;
      }
      final String routeMethod = candidate.route().method();
      if (!routeMethod.equals("ANY") && !routeMethod.equals(method)) {
        allowed.add(routeMethod);
        continue;
      }
      if (best == null || compare(candidate, best) > 0) {
        best = candidate;
        bestParams = params;
      }
    }
    if (best != null) {
      return new Found(best.route(), bestParams);
    }
    if (defaultRoute != null) {
      return new Found(defaultRoute, Map.of());
    }
    return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(Collections.unmodifiableSet(allowed));
  }

  /** Positive when {@code a} is more specific than {@code b}. */
  private static int compare(final Compiled a, final Compiled b) {
    final int n = Math.min(a.segments().size(), b.segments().size());
    for (int i = 0; i < n; i++) {
      final int c = a.segments().get(i).kind().compareTo(b.segments().get(i).kind());
      if (c != 0) {
        return c;
      }
    }
    final int bySize = Integer.compare(a.segments().size(), b.segments().size());
    if (bySize != 0) {
      return bySize;
    }
    return Boolean.compare(!a.route().method().equals("ANY"), !b.route().method().equals("ANY"));
  }

  /** Path parameters if {@code pattern} matches {@code actual}, else null. */
  private static Map<String, String> bind(final List<Segment> pattern, final List<String> actual) {
    final Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      final Segment segment = pattern.get(i);
      if (segment.kind() == Kind.GREEDY) {
        if (i >= actual.size()) {
          return null;
        }
        final String rest = String.join("/", actual.subList(i, actual.size()));
        if (rest.isEmpty()) {
          return null;
        }
        params.put(segment.text(), rest);
        return params;
      }
      if (i >= actual.size()) {
        return null;
      }
      final String value = actual.get(i);
      if (segment.kind() == Kind.LITERAL) {
        if (!segment.text().equals(value)) {
          return null;
        }
      } else {
        if (value.isEmpty()) {
          return null;
        }
        params.put(segment.text(), value);
      }
    }
    return pattern.size() == actual.size() ? params : null;
  }

  private static List<Segment> compile(final String path) {
    final List<Segment> segments = new ArrayList<>();
    final String[] parts = path.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      final String part = parts[i];
      if (part.startsWith("{") && part.endsWith("+}")) {
        if (i != parts.length - 1) {
          throw new StartupException("greedy path variable must be last: " + path);
        }
        segments.add(new Segment(Kind.GREEDY, part.substring(1, part.length() - 2)));
      } else if (part.startsWith("{") && part.endsWith("}")) {
        segments.add(new Segment(Kind.PARAM, part.substring(1, part.length() - 1)));
      } else {
        segments.add(new Segment(Kind.LITERAL, part));
      }
    }
    return segments;
  }

  /** Splits the raw path on "/" and percent-decodes each segment ("+" stays "+" in a path). */
  static List<String> decodeSegments(final String rawPath) {
    final String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /");
    }
    return Arrays.stream(path.substring(1).split("/", -1)).map(RouteTable::percentDecode).toList();
  }

  static String percentDecode(final String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    final byte[] in = text.getBytes(StandardCharsets.UTF_8);
    final byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%') {
        if (i + 2 >= in.length) {
          throw new IllegalArgumentException("bad percent-encoding");
        }
        final int hi = Character.digit(in[i + 1], 16);
        final int lo = Character.digit(in[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-encoding");
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = in[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
