package io.retouch.api.docs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.common.event.EventType;
import io.retouch.common.job.JobStatus;
import io.retouch.db.webhook.DeliveryStatus;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}). What every
 * endpoint shares is added here rather than repeated on each handler: Trieve's authentication (the
 * key's least role, read from {@link Caller}, as the {@code ApiKey} scope, like Trieve's {@code
 * "ApiKey": ["admin"]}), the {@code TR-Dataset} and {@code TR-Organization} headers, and the error
 * answers every authenticated request can get, all with Trieve's {@code ErrorResponseBody}.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  static final String ERROR = "ErrorResponseBody";
  private static final String API_KEY = "ApiKey";
  private static final String X_API_KEY = "X-API-KEY";

  static {
    // resolved from the headers by AuthScopeResolver, not a request parameter
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthScope.class);
  }

  @Bean
  OpenAPI retouchOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Retouch API")
                .version("1")
                .description(
                    "Asynchronous image edits with Trieve's POST /api/message/edit_image"
                        + " contract: submit, wait or poll, cancel, and follow jobs by"
                        + " Server-Sent Events or signed webhooks.")
                .license(new License().name("Proprietary")))
        .components(
            new Components()
                .addSecuritySchemes(
                    API_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("Authorization")
                        .description("The API key, raw or as Bearer <key>"))
                .addSecuritySchemes(
                    X_API_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("x-api-key")));
  }

  /** Property names as the API writes them: snake_case, as spring.jackson is configured. */
  @Bean
  ModelResolver snakeCaseModelResolver() {
    return new ModelResolver(
        Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }

  @Bean
  OpenApiCustomizer requestSchemas() {
    return openApi -> {
      Components components = openApi.getComponents();
      RequestSchemas.all().forEach(components::addSchemas);
      // the views carry wire names as strings: say which
      enumerate(
          components,
          "JobView",
          "status",
          RequestSchemas.wireNames(JobStatus.class, JobStatus::wireName));
      enumerate(
          components,
          "DeliveryView",
          "status",
          RequestSchemas.wireNames(DeliveryStatus.class, DeliveryStatus::wireName));
      enumerate(
          components,
          "DeliveryView",
          "event_type",
          RequestSchemas.wireNames(EventType.class, EventType::wireName));
      // stand-ins springdoc derives from handler signatures; the operations name real schemas
      for (String internal : List.of("AuthScope", "JsonNode", "SseEmitter")) {
        if (components.getSchemas() != null) {
          components.getSchemas().remove(internal);
        }
      }
    };
  }

  private static void enumerate(
      Components components, String schema, String property, List<String> values) {
    Schema<?> view = components.getSchemas() == null ? null : components.getSchemas().get(schema);
    if (view == null
        || view.getProperties() == null
        || view.getProperties().get(property) == null) {
      throw new IllegalStateException(schema + "." + property + " is not in the OpenAPI document");
    }
    @SuppressWarnings("unchecked")
    Schema<Object> field = (Schema<Object>) view.getProperties().get(property);
    field.setEnum(new java.util.ArrayList<>(values));
  }

  @Bean
  OperationCustomizer authenticatedOperations() {
    return (operation, handler) -> {
      caller(handler).ifPresent(role -> authenticated(operation, role));
      return operation;
    };
  }

  private static Optional<String> caller(HandlerMethod handler) {
    return Arrays.stream(handler.getMethodParameters())
        .map(p -> p.getParameterAnnotation(Caller.class))
        .filter(c -> c != null)
        .findFirst()
        .map(c -> c.value().name().toLowerCase(Locale.ROOT));
  }

  private static void authenticated(Operation operation, String role) {
    operation.setSecurity(
        List.of(
            new SecurityRequirement().addList(API_KEY, role),
            new SecurityRequirement().addList(X_API_KEY, role)));
    operation.addParametersItem(
        header(
            "TR-Dataset",
            true,
            "The dataset id, or its tracking id together with TR-Organization"));
    operation.addParametersItem(
        header("TR-Organization", false, "The organization id; needed with a tracking id"));
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    Map<String, String> common = new LinkedHashMap<>();
    common.put("400", "The request is malformed or invalid; the message names the problem");
    common.put("401", "No API key, or one that is unknown or revoked");
    common.put("403", "The key's role is below " + role + ", or it is not this dataset's");
    common.put("404", "The dataset, or the resource, does not exist (or is another dataset's)");
    common.put("406", "The Accept header admits no JSON");
    common.put(
        "503", "A service Retouch depends on is unavailable; nothing was changed, try again");
    common.forEach(
        (status, description) -> {
          if (!responses.containsKey(status)) {
            responses.addApiResponse(status, error(description));
          }
        });
    operation.setResponses(responses);
  }

  static ApiResponse error(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                    new MediaType().schema(new Schema<>().$ref(RequestSchemas.ref(ERROR)))));
  }

  private static Parameter header(String name, boolean required, String description) {
    return new HeaderParameter()
        .name(name)
        .required(required)
        .description(description)
        .schema(new StringSchema());
  }
}
