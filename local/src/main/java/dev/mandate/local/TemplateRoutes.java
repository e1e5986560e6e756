package dev.mandate.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The functions, HTTP routes and schedules a SAM template declares: every
 * {@code AWS::Serverless::Function} with each of its {@code HttpApi} events and each of its
 * {@code ScheduleV2} / {@code Schedule} events, with Globals applied. This is the one source of
 * truth for routing and scheduling, so the local runner cannot drift from what is deployed.
 */
final class TemplateRoutes {
  /** SAM's defaults when neither the function nor Globals say. */
  private static final int DEFAULT_MEMORY_MB = 128;
  private static final int DEFAULT_TIMEOUT_S = 3;

  /** A function: logical id, {@code Handler} ({@code class::method}), memory and timeout. */
  record FunctionSpec(String name, String handler, int memoryMb, int timeoutSeconds) {
    String handlerClass() {
      final int sep = handler.indexOf("::");
      return sep < 0 ? handler : handler.substring(0, sep);
    }

    String handlerMethod() {
      final int sep = handler.indexOf("::");
      return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
    }
  }

  /**
   * One HttpApi event. {@code path == null} is the {@code $default} route; {@code method} is
   * upper-case, {@code ANY} for any method.
   */
  record RouteSpec(String method, String path, String function, String event) {
    String routeKey() {
      return path == null ? "$default" : method + " " + path;
    }
  }

  /**
   * One {@code ScheduleV2} ({@code ScheduleExpression}) or {@code Schedule} ({@code Schedule}) event;
   * {@code input} is its literal {@code Input} JSON text, if any.
   */
  record ScheduleSpec(FunctionSpec function, String event, String expression, Optional<String> input) {
    String name() {
      return function.name() + "." + event;
    }
  }

  private static final Map<String, String> SCHEDULE_EXPRESSION = Map.of("ScheduleV2", "ScheduleExpression", "Schedule", "Schedule");

  private final Map<String, FunctionSpec> functions;
  private final List<RouteSpec> routes;
  private final List<ScheduleSpec> schedules;

  private TemplateRoutes(final Map<String, FunctionSpec> functions, final List<RouteSpec> routes,
      final List<ScheduleSpec> schedules) {
    this.functions = functions;
    this.routes = routes;
    this.schedules = schedules;
  }

  static TemplateRoutes load(final Path template) {
    return from(CfnYaml.load(template), template.toString());
  }

  static TemplateRoutes from(final Map<String, Object> template, final String name) {
    final Map<String, Object> parameters = map(template.get("Parameters"));
    final Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));
    final Map<String, Object> resources = map(template.get("Resources"));
    if (resources.isEmpty()) {
      throw new StartupException("template " + name + " has no Resources");
    }
    final Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    final List<RouteSpec> routes = new ArrayList<>();
    final List<ScheduleSpec> schedules = new ArrayList<>();
    final Map<String, RouteSpec> byKey = new HashMap<>();
    for (final Map.Entry<String, Object> resource : resources.entrySet()) {
      final Map<String, Object> body = map(resource.getValue());
      if (!"AWS::Serverless::Function".equals(body.get("Type"))) {
        continue;
      }
      final String fn = resource.getKey();
      final Map<String, Object> props = map(body.get("Properties"));
      final List<RouteSpec> fnRoutes = new ArrayList<>();
      final Map<String, Map<String, Object>> fnSchedules = new LinkedHashMap<>();
      for (final Map.Entry<String, Object> event : map(props.get("Events")).entrySet()) {
        final Map<String, Object> ev = map(event.getValue());
        final Map<String, Object> evProps = map(ev.get("Properties"));
        if (SCHEDULE_EXPRESSION.containsKey(String.valueOf(ev.get("Type")))) {
          fnSchedules.put(event.getKey(), ev);
          continue;
        }
        if (!"HttpApi".equals(ev.get("Type"))) {
          continue;
        }
        final RouteSpec route = route(fn, event.getKey(), evProps, name);
        final RouteSpec clash = byKey.putIfAbsent(route.routeKey(), route);
        if (clash != null) {
          throw new StartupException("template " + name + ": route '" + route.routeKey() + "' is declared by "
              + clash.function() + "." + clash.event() + " and " + fn + "." + event.getKey());
        }
        fnRoutes.add(route);
      }
      if (fnRoutes.isEmpty() && fnSchedules.isEmpty()) {
        continue; // triggered some other way: neither served over HTTP nor ticked
      }
      final FunctionSpec spec = functionSpec(fn, props, globals, parameters, name);
      if (!fnRoutes.isEmpty()) {
        functions.put(fn, spec);
        routes.addAll(fnRoutes);
      }
      fnSchedules.forEach((event, ev) -> schedules.add(schedule(spec, event, ev, name)));
    }
    if (routes.isEmpty()) {
      throw new StartupException("template " + name + " declares no function with HttpApi events");
    }
    return new TemplateRoutes(Map.copyOf(functions), List.copyOf(routes), List.copyOf(schedules));
  }

  private static FunctionSpec functionSpec(final String fn, final Map<String, Object> props,
      final Map<String, Object> globals, final Map<String, Object> parameters, final String name) {
    final Object handler = props.containsKey("Handler") ? props.get("Handler") : globals.get("Handler");
    if (!(handler instanceof String h) || h.isBlank()) {
      throw new StartupException("template " + name + ": function " + fn + " has no literal Handler");
    }
    final int memory = intValue(props.containsKey("MemorySize") ? props.get("MemorySize") : globals.get("MemorySize"),
        parameters, DEFAULT_MEMORY_MB);
    final int timeout = intValue(props.containsKey("Timeout") ? props.get("Timeout") : globals.get("Timeout"),
        parameters, DEFAULT_TIMEOUT_S);
    return new FunctionSpec(fn, h.trim(), memory, timeout);
  }

  private static ScheduleSpec schedule(final FunctionSpec fn, final String event, final Map<String, Object> ev,
      final String name) {
    final Map<String, Object> props = map(ev.get("Properties"));
    final Object expression = props.get(SCHEDULE_EXPRESSION.get(String.valueOf(ev.get("Type"))));
    if (!(expression instanceof String e) || e.isBlank()) {
      throw new StartupException("template " + name + ": " + fn.name() + "." + event + " needs a literal "
          + SCHEDULE_EXPRESSION.get(String.valueOf(ev.get("Type"))));
    }
    final Object input = props.get("Input");
    if (input != null && !(input instanceof String)) {
      throw new StartupException("template " + name + ": " + fn.name() + "." + event + " Input must be literal JSON text");
    }
    return new ScheduleSpec(fn, event, e.trim(), Optional.ofNullable((String) input));
  }

  private static RouteSpec route(final String fn, final String event, final Map<String, Object> props, final String name) {
    final Object path = props.get("Path");
    final Object method = props.get("Method");
    if (path == null && method == null) {
      return new RouteSpec("ANY", null, fn, event);
    }
    if (!(path instanceof String p) || !p.startsWith("/")) {
      throw new StartupException("template " + name + ": " + fn + "." + event + " needs a literal Path starting with /");
    }
    String m = method instanceof String s ? s.trim().toUpperCase(Locale.ROOT) : "ANY";
    if (m.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") || m.equals("*")) {
      m = "ANY";
    }
    return new RouteSpec(m, p, fn, event);
  }

  /** An integer property that may be a literal, a numeric string or {@code !Ref Parameter} (its Default). */
  private static int intValue(final Object value, final Map<String, Object> parameters, final int fallback) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    if (value instanceof Map<?, ?> m && m.get("Ref") instanceof String ref) {
      final Object fallbackValue = map(parameters.get(ref)).get("Default");
      return fallbackValue == null ? fallback : intValue(fallbackValue, Map.of(), fallback);
    }
    return fallback;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(final Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  Map<String, FunctionSpec> functions() {
    return functions;
  }

  List<RouteSpec> routes() {
    return routes;
  }

  List<ScheduleSpec> schedules() {
    return schedules;
  }
}
