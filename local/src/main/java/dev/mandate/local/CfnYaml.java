package dev.mandate.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a CloudFormation/SAM YAML template. Short-form intrinsics ({@code !Ref X}, {@code !Sub ...},
 * {@code !GetAtt A.B}, {@code !If [...]} and any other {@code !Tag}) become their long JSON form
 * ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}, {@code {"Fn::GetAtt": ["A", "B"]}}), so callers
 * see one shape whichever form the template uses. Only safe types are constructed (no Java objects
 * from tags), and duplicate keys are an error, as they are for CloudFormation.
 */
final class CfnYaml {
  private CfnYaml() {}

  static Map<String, Object> load(final Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (IOException e) {
      throw new StartupException("cannot read template " + file + ": " + e.getMessage(), e);
    }
  }

  static Map<String, Object> parse(final String text) {
    return parse(new java.io.StringReader(text), "<string>");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(final Reader reader, final String name) {
    final LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    final Yaml yaml = new Yaml(new IntrinsicConstructor(options));
    final Object document;
    try {
      document = yaml.load(reader);
    } catch (YAMLException e) {
      throw new StartupException("template " + name + " is not valid YAML: " + e.getMessage(), e);
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new StartupException("template " + name + " is not a YAML mapping");
    }
    return (Map<String, Object>) map;
  }

  /** SafeConstructor plus one multi-constructor for every local tag ("!..."). */
  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor(final LoaderOptions options) {
      super(options);
      this.yamlMultiConstructors.put("!", new IntrinsicConstruct());
    }

    private final class IntrinsicConstruct extends AbstractConstruct {
      @Override
      public Object construct(final Node node) {
        final String name = node.getTag().getValue().substring(1);
        final Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else if (node instanceof MappingNode mapping) {
          value = constructMapping(mapping);
        } else {
          throw new YAMLException("unsupported node for !" + name);
        }
        if (name.equals("Ref") || name.equals("Condition")) {
          return Map.of(name, value);
        }
        if (name.equals("GetAtt") && value instanceof String dotted) {
          final int dot = dotted.indexOf('.');
          return Map.of("Fn::GetAtt", dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
        }
        return Map.of("Fn::" + name, value);
      }
    }
  }
}
