package io.retouch.api.http;

import io.retouch.common.edit.StorableText;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Rules every JSON body the API reads follows, for its own readers and Spring's mapper alike: a key
 * given twice is an error (the last one would win, so a value could be smuggled past a proxy that
 * reads the first), and a string that cannot be stored ({@link StorableText}) is refused where it
 * is parsed, so the error names its field.
 */
@Configuration(proxyBeanMethods = false)
public class JsonRules {

  /** Refuses strings {@link StorableText} refuses, naming the field through Jackson's path. */
  public static JacksonModule storableText() {
    return new SimpleModule("retouch-storable-text")
        .addDeserializer(String.class, new StorableStringDeserializer());
  }

  @Bean
  JsonMapperBuilderCustomizer retouchJsonRules() {
    return builder ->
        builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).addModule(storableText());
  }

  /** A string field's value could not be stored; Jackson adds the path when it wraps this. */
  public static final class UnstorableTextException extends RuntimeException {
    public UnstorableTextException(String problem) {
      super(problem);
    }
  }

  private static final class StorableStringDeserializer extends StdScalarDeserializer<String> {

    StorableStringDeserializer() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      String value = StringDeserializer.instance.deserialize(p, ctxt);
      if (value != null) {
        StorableText.problem(value)
            .ifPresent(
                problem -> {
                  throw new UnstorableTextException(problem);
                });
      }
      return value;
    }

    @Override
    public tools.jackson.databind.type.LogicalType logicalType() {
      return tools.jackson.databind.type.LogicalType.Textual;
    }
  }
}
