package io.retouch.testkit.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A container's environment as a Spring Boot application would see it, for checking a compose
 * file's {@code environment:} against {@code @ConfigurationProperties} without starting the app.
 *
 * <p>The variables become a {@link SystemEnvironmentPropertySource} named {@code
 * systemEnvironment}: that name is what makes Spring Boot apply its environment-variable mapping
 * ({@code RETOUCH_STORAGE_PATHSTYLE} → {@code retouch.storage.path-style}) instead of the plain
 * one. The real process environment and system properties are left out, so the host running the
 * test cannot change the answer. An application's {@code application.yml} can be added below the
 * variables, as in the running app, so its {@code ${VAR:default}} placeholders resolve against
 * them.
 */
public final class SpringEnvironment {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");

  private SpringEnvironment() {}

  /** An environment holding exactly {@code variables}, as environment variables. */
  public static StandardEnvironment of(Map<String, String> variables) {
    return of(variables, List.of());
  }

  /**
   * An environment holding {@code variables} as environment variables, then the documents of each
   * YAML file (lower precedence, as {@code application.yml} is below the OS environment). Documents
   * activated only for a profile ({@code spring.config.activate.on-profile}) are skipped: no
   * profile is active.
   */
  public static StandardEnvironment of(
      Map<String, String> variables, Collection<Path> applicationYamls) {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    sources.addLast(environmentVariables(variables));
    for (Path yaml : applicationYamls) {
      for (PropertySource<?> document : yamlDocuments(yaml)) {
        if (document.getProperty("spring.config.activate.on-profile") == null) {
          sources.addLast(document);
        }
      }
    }
    ConfigurationPropertySources.attach(environment);
    return environment;
  }

  /** Spring Boot's binder over {@code environment} (placeholders resolved). */
  public static Binder binder(StandardEnvironment environment) {
    return Binder.get(environment);
  }

  /**
   * Binds a {@code @ConfigurationProperties} type at its prefix as Spring Boot would, creating it
   * from no properties at all when none are set (so a record's defaults apply).
   *
   * @throws org.springframework.boot.context.properties.bind.BindException when a value does not
   *     convert or the type's constructor refuses it
   */
  public static <T> T bind(StandardEnvironment environment, Class<T> propertiesType) {
    return binder(environment).bindOrCreate(prefix(propertiesType), Bindable.of(propertiesType));
  }

  /** The prefix of a {@code @ConfigurationProperties} type. */
  public static String prefix(Class<?> propertiesType) {
    ConfigurationProperties annotation =
        propertiesType.getAnnotation(ConfigurationProperties.class);
    if (annotation == null) {
      throw new IllegalArgumentException(propertiesType + " is not @ConfigurationProperties");
    }
    String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException(propertiesType + " has no prefix");
    }
    return prefix;
  }

  /**
   * The property names a {@code @ConfigurationProperties} record binds: its prefix and each record
   * component in dashed form ({@code pathStyle} → {@code retouch.storage.path-style}).
   */
  public static List<String> propertyNames(Class<? extends Record> propertiesType) {
    String prefix = prefix(propertiesType);
    List<String> names = new ArrayList<>();
    for (RecordComponent component : propertiesType.getRecordComponents()) {
      names.add(prefix + "." + DataObjectPropertyName.toDashedForm(component.getName()));
    }
    return names;
  }

  /**
   * The canonical environment variable of a property, per Spring Boot's documented rule: {@code .}
   * becomes {@code _}, dashes are removed, upper case ({@code retouch.storage.path-style} → {@code
   * RETOUCH_STORAGE_PATHSTYLE}).
   */
  public static String canonicalEnvName(String propertyName) {
    return propertyName.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
  }

  /**
   * Which of {@code propertyNames} an environment variable named {@code envName} sets, decided by
   * Spring Boot's own environment-variable mapping (not a reimplementation of it).
   */
  public static Optional<String> boundProperty(String envName, Collection<String> propertyNames) {
    Iterable<ConfigurationPropertySource> sources =
        ConfigurationPropertySources.from(environmentVariables(Map.of(envName, "x")));
    for (String property : propertyNames) {
      ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
      for (ConfigurationPropertySource source : sources) {
        if (source.getConfigurationProperty(name) != null) {
          return Optional.of(property);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The names inside {@code ${…}} placeholders of a YAML file's values, e.g. {@code PORT} for
   * {@code server.port: ${PORT:8080}}: variables the application reads by that exact name.
   */
  public static Set<String> placeholderNames(Path yaml) {
    Set<String> names = new LinkedHashSet<>();
    for (PropertySource<?> document : yamlDocuments(yaml)) {
      if (document instanceof EnumerablePropertySource<?> enumerable) {
        for (String property : enumerable.getPropertyNames()) {
          Matcher m = PLACEHOLDER.matcher(String.valueOf(enumerable.getProperty(property)));
          while (m.find()) {
            names.add(m.group(1).trim());
          }
        }
      }
    }
    return names;
  }

  /** Every property set by a YAML file, flattened ({@code spring.datasource.url} …). */
  public static Set<String> yamlPropertyNames(Path yaml) {
    Set<String> names = new LinkedHashSet<>();
    for (PropertySource<?> document : yamlDocuments(yaml)) {
      if (document instanceof EnumerablePropertySource<?> enumerable) {
        names.addAll(Arrays.asList(enumerable.getPropertyNames()));
      }
    }
    return names;
  }

  private static SystemEnvironmentPropertySource environmentVariables(
      Map<String, String> variables) {
    return new SystemEnvironmentPropertySource(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new LinkedHashMap<>(variables));
  }

  private static List<PropertySource<?>> yamlDocuments(Path yaml) {
    try {
      return new YamlPropertySourceLoader()
          .load("applicationConfig: [" + yaml + "]", new FileSystemResource(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml.toAbsolutePath(), e);
    }
  }
}
