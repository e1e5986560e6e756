package dev.mandate.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mandate.local.TemplateRoutes.FunctionSpec;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One handler instance per function, created once at start-up like a Lambda execution environment's
 * init phase. Unlike Lambda, one instance serves concurrent requests, so handlers must not keep
 * per-request state in fields (Mandate's handlers are stateless adapters).
 */
final class FunctionInstances {
  /** A function and its handler instance. */
  record Instance(FunctionSpec spec, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {}

  private FunctionInstances() {}

  static Map<String, Instance> create(final Map<String, FunctionSpec> functions, final ClassLoader loader) {
    final Map<String, Instance> instances = new LinkedHashMap<>();
    for (final FunctionSpec spec : functions.values()) {
      instances.put(spec.name(), new Instance(spec, instantiate(spec, loader)));
    }
    return Map.copyOf(instances);
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(
      final FunctionSpec spec, final ClassLoader loader) {
    return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) newHandler(spec, loader);
  }

  /** A new instance of the function's handler class, which must be a {@link RequestHandler}. */
  static RequestHandler<?, ?> newHandler(final FunctionSpec spec, final ClassLoader loader) {
    if (!spec.handlerMethod().equals("handleRequest")) {
      throw new StartupException(spec.name() + ": Handler method must be handleRequest, not " + spec.handlerMethod());
    }
    final Class<?> type;
    try {
      type = Class.forName(spec.handlerClass(), true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StartupException(spec.name() + ": handler class " + spec.handlerClass() + " is not on the classpath ("
          + e + "); build with ./mvnw -pl local -am package", e);
    }
    if (!RequestHandler.class.isAssignableFrom(type)) {
      throw new StartupException(spec.name() + ": " + type.getName() + " does not implement RequestHandler");
    }
    try {
      return (RequestHandler<?, ?>) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new StartupException(spec.name() + ": " + type.getName() + " has no public no-arg constructor", e);
    } catch (InvocationTargetException e) {
      throw new StartupException(spec.name() + ": " + type.getName() + " failed during init: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new StartupException(spec.name() + ": cannot create " + type.getName() + ": " + e, e);
    }
  }
}
