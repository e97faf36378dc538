package io.retouch.testkit.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A {@code docker-compose.yml} as {@code docker compose} reads it, for tests that check the file
 * against the applications it runs (no Docker needed).
 *
 * <p>YAML anchors, aliases and merge keys ({@code <<: *anchor}) are resolved by SnakeYAML;
 * duplicate keys are refused as Compose refuses them. Every string value is then interpolated like
 * Compose does ({@code ${VAR:-default}}, {@code $$}, …) against the variables given to {@link
 * #load(Path, Map)}, none by default: the file is seen as on a machine where nothing is exported.
 * Keys are not interpolated. A {@code .env} file next to the compose file is not read.
 *
 * <p>Services expose their image, build (context, dockerfile, args), environment (list {@code K=V}
 * or map form, as {@code Map<String, String>}), {@code depends_on} (with its conditions), ports,
 * command, entrypoint and healthcheck; everything else is in {@link Service#raw()}.
 */
public final class ComposeFile {

  /** {@code depends_on} condition of the short (list) syntax. */
  public static final String SERVICE_STARTED = "service_started";

  public static final String SERVICE_HEALTHY = "service_healthy";
  public static final String SERVICE_COMPLETED_SUCCESSFULLY = "service_completed_successfully";

  private final Map<String, Object> root;
  private final Map<String, Service> services;

  private ComposeFile(Map<String, Object> root, Map<String, String> variables) {
    this.root = root;
    Map<String, Service> parsed = new LinkedHashMap<>();
    mapping(root.get("services"), "services")
        .forEach(
            (name, definition) ->
                parsed.put(
                    name, Service.parse(name, mapping(definition, "services." + name), variables)));
    this.services = Collections.unmodifiableMap(parsed);
  }

  /** Loads {@code file} with no variables set. */
  public static ComposeFile load(Path file) {
    return load(file, Map.of());
  }

  /**
   * Loads {@code file}, interpolating with {@code variables} (as if exactly these were exported in
   * the shell running {@code docker compose}).
   */
  public static ComposeFile load(Path file, Map<String, String> variables) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ComposeFileException("cannot read " + file.toAbsolutePath(), e);
    }
    return parse(text, variables);
  }

  /** Parses compose YAML text, interpolating with {@code variables}. */
  public static ComposeFile parse(String yaml, Map<String, String> variables) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object document;
    try {
      document = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new ComposeFileException("not valid compose YAML: " + e.getMessage(), e);
    }
    Map<String, Object> root = mapping(document, "the document");
    @SuppressWarnings("unchecked")
    Map<String, Object> interpolated = (Map<String, Object>) interpolate(root, variables);
    return new ComposeFile(Collections.unmodifiableMap(interpolated), Map.copyOf(variables));
  }

  /** The services by name, in file order. */
  public Map<String, Service> services() {
    return services;
  }

  /** The named service; fails naming the services there are. */
  public Service service(String name) {
    Service service = services.get(name);
    if (service == null) {
      throw new ComposeFileException(
          "no service '" + name + "' in the compose file; services: " + services.keySet());
    }
    return service;
  }

  /** Names of the top-level (named) volumes. */
  public Set<String> volumes() {
    Object volumes = root.get("volumes");
    return volumes == null ? Set.of() : mapping(volumes, "volumes").keySet();
  }

  /** The whole interpolated document (extension fields {@code x-…} included). */
  public Map<String, Object> raw() {
    return root;
  }

  /** A {@code build:} section; {@code build: path} is a context with no dockerfile or args. */
  public record Build(String context, Optional<String> dockerfile, Map<String, String> args) {}

  /**
   * One service.
   *
   * @param command {@code command:} as a list; the string form is one element, unsplit
   * @param entrypoint {@code entrypoint:} likewise
   * @param dependsOn service name to condition ({@link #SERVICE_STARTED} for the list syntax)
   * @param ports short syntax strings ({@code "8080:8080"}); the long syntax is rendered as {@code
   *     [host_ip:]published:target[/protocol]}
   * @param healthcheck {@code healthcheck.test} as a list (empty when there is none)
   */
  public record Service(
      String name,
      Optional<String> image,
      Optional<Build> build,
      Map<String, String> environment,
      Map<String, String> dependsOn,
      List<String> ports,
      List<String> command,
      List<String> entrypoint,
      List<String> healthcheck,
      Map<String, Object> raw) {

    static Service parse(String name, Map<String, Object> raw, Map<String, String> variables) {
      String where = "services." + name;
      return new Service(
          name,
          Optional.ofNullable(raw.get("image")).map(String::valueOf),
          build(raw.get("build"), variables, where + ".build"),
          keyValues(raw.get("environment"), variables, where + ".environment"),
          dependsOn(raw.get("depends_on"), where + ".depends_on"),
          ports(raw.get("ports"), where + ".ports"),
          strings(raw.get("command"), where + ".command"),
          strings(raw.get("entrypoint"), where + ".entrypoint"),
          healthcheck(raw.get("healthcheck"), where + ".healthcheck"),
          Collections.unmodifiableMap(raw));
    }

    /** {@code build.args}, empty when the service is not built. */
    public Map<String, String> buildArgs() {
      return build.map(Build::args).orElse(Map.of());
    }

    /** Command and entrypoint joined with spaces, entrypoint first: handy for pattern checks. */
    public String commandLine() {
      List<String> all = new ArrayList<>(entrypoint);
      all.addAll(command);
      return String.join(" ", all);
    }

    private static Optional<Build> build(
        Object build, Map<String, String> variables, String where) {
      if (build == null) {
        return Optional.empty();
      }
      if (!(build instanceof Map)) {
        return Optional.of(new Build(String.valueOf(build), Optional.empty(), Map.of()));
      }
      Map<String, Object> map = mapping(build, where);
      return Optional.of(
          new Build(
              String.valueOf(map.getOrDefault("context", ".")),
              Optional.ofNullable(map.get("dockerfile")).map(String::valueOf),
              keyValues(map.get("args"), variables, where + ".args")));
    }

    private static Map<String, String> dependsOn(Object dependsOn, String where) {
      Map<String, String> out = new LinkedHashMap<>();
      if (dependsOn == null) {
        return out;
      }
      if (dependsOn instanceof List<?> list) {
        for (Object service : list) {
          out.put(String.valueOf(service), SERVICE_STARTED);
        }
        return Collections.unmodifiableMap(out);
      }
      mapping(dependsOn, where)
          .forEach(
              (service, spec) -> {
                Object condition =
                    spec == null ? null : mapping(spec, where + "." + service).get("condition");
                out.put(service, condition == null ? SERVICE_STARTED : String.valueOf(condition));
              });
      return Collections.unmodifiableMap(out);
    }

    private static List<String> ports(Object ports, String where) {
      if (ports == null) {
        return List.of();
      }
      if (!(ports instanceof List<?> list)) {
        throw new ComposeFileException(where + " must be a list");
      }
      List<String> out = new ArrayList<>();
      for (Object port : list) {
        if (port instanceof Map) {
          Map<String, Object> spec = mapping(port, where);
          StringBuilder s = new StringBuilder();
          if (spec.get("host_ip") != null) {
            s.append(spec.get("host_ip")).append(':');
          }
          if (spec.get("published") != null) {
            s.append(spec.get("published")).append(':');
          }
          s.append(spec.get("target"));
          if (spec.get("protocol") != null) {
            s.append('/').append(spec.get("protocol"));
          }
          out.add(s.toString());
        } else {
          out.add(String.valueOf(port));
        }
      }
      return List.copyOf(out);
    }

    private static List<String> healthcheck(Object healthcheck, String where) {
      if (healthcheck == null) {
        return List.of();
      }
      return strings(mapping(healthcheck, where).get("test"), where + ".test");
    }

    private static List<String> strings(Object value, String where) {
      if (value == null) {
        return List.of();
      }
      if (value instanceof List<?> list) {
        return list.stream().map(String::valueOf).toList();
      }
      if (value instanceof Map) {
        throw new ComposeFileException(where + " must be a string or a list");
      }
      return List.of(String.valueOf(value));
    }
  }

  /**
   * {@code environment}/{@code args}: a map ({@code K: V}) or a list ({@code K=V}). A name without
   * a value ({@code K:} or {@code - K}) takes the variable of that name, and is left out when it is
   * not set, as Compose does.
   */
  private static Map<String, String> keyValues(
      Object section, Map<String, String> variables, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (section == null) {
      return out;
    }
    if (section instanceof List<?> list) {
      for (Object entry : list) {
        String text = String.valueOf(entry);
        int eq = text.indexOf('=');
        String key = eq < 0 ? text : text.substring(0, eq);
        String value = eq < 0 ? variables.get(key) : text.substring(eq + 1);
        if (out.containsKey(key)) {
          throw new ComposeFileException(where + " sets " + key + " twice");
        }
        if (value != null) {
          out.put(key, value);
        }
      }
    } else {
      mapping(section, where)
          .forEach(
              (key, value) -> {
                String resolved = value == null ? variables.get(key) : scalar(value, where);
                if (resolved != null) {
                  out.put(key, resolved);
                }
              });
    }
    return Collections.unmodifiableMap(out);
  }

  private static String scalar(Object value, String where) {
    if (value instanceof Map || value instanceof List) {
      throw new ComposeFileException(where + " values must be strings, numbers or booleans");
    }
    return String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object node, String where) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new ComposeFileException(where + " must be a mapping, not " + describe(node));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, value) -> out.put(String.valueOf(key), value));
    return out;
  }

  private static String describe(Object node) {
    return node == null ? "nothing" : node.getClass().getSimpleName() + " " + node;
  }

  private static Object interpolate(Object node, Map<String, String> variables) {
    if (node instanceof String s) {
      return Interpolation.resolve(s, variables);
    }
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((key, value) -> out.put(key, interpolate(value, variables)));
      return Collections.unmodifiableMap(out);
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(interpolate(item, variables));
      }
      return Collections.unmodifiableList(out);
    }
    return node;
  }
}
