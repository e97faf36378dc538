package io.retouch.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v3/api-docs} is a valid OpenAPI document, covers every endpoint the API serves, and keeps
 * Trieve's contract for {@code POST /api/message/edit_image}: the excerpt of Trieve's own document
 * under {@code src/test/resources/openapi/} is compared with Retouch's, schema by schema.
 */
class OpenApiDocumentTest extends ApiIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping handlers;

  private String text;
  private JsonNode ours;
  private JsonNode trieve;

  @BeforeEach
  void documents() throws IOException {
    Answer docs = api.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    text = docs.raw().body();
    ours = JSON.readTree(text);
    try (InputStream in = getClass().getResourceAsStream("/openapi/trieve-edit-image.json")) {
      trieve = JSON.readTree(in);
    }
  }

  @Test
  void the_document_is_valid_openapi_and_the_swagger_ui_is_served() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);

    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0");
    // every $ref points at a schema the document defines
    Set<String> refs = new TreeSet<>();
    collectRefs(ours, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ours.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
    assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  @Test
  void every_endpoint_the_api_serves_is_described_with_its_authentication_and_errors() {
    Set<String> served = new TreeSet<>();
    handlers
        .getHandlerMethods()
        .forEach(
            (mapping, handler) -> {
              if (!handler.getBeanType().getPackageName().startsWith("io.retouch.api")
                  || handler.getBeanType().isAnnotationPresent(Hidden.class)) {
                return;
              }
              for (String path : mapping.getPatternValues()) {
                mapping
                    .getMethodsCondition()
                    .getMethods()
                    .forEach(m -> served.add(m.name().toLowerCase(Locale.ROOT) + " " + path));
              }
            });
    Set<String> described = new TreeSet<>();
    ours.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .propertyNames()
                    .forEach(method -> described.add(method + " " + path.getKey())));

    assertThat(served).hasSizeGreaterThan(15);
    assertThat(described).isEqualTo(served);
    for (String endpoint : described) {
      String[] parts = endpoint.split(" ");
      JsonNode operation = ours.get("paths").get(parts[1]).get(parts[0]);
      assertThat(operation.get("security")).as(endpoint).isNotNull();
      assertThat(names(operation.get("parameters"))).as(endpoint).contains("TR-Dataset");
      assertThat(operation.get("responses").propertyNames())
          .as(endpoint)
          .contains("401", "403", "404", "503");
      assertThat(operation.get("summary")).as(endpoint + " has a summary").isNotNull();
    }
  }

  @Test
  void the_edit_operation_keeps_trieves_operation_headers_security_and_answers() {
    JsonNode theirs = trieve.at("/paths/~1api~1message~1edit_image/post");
    JsonNode mine = ours.at("/paths/~1api~1message~1edit_image/post");

    assertThat(mine.get("operationId")).isEqualTo(theirs.get("operationId"));
    assertThat(mine.get("tags")).isEqualTo(theirs.get("tags"));
    assertThat(mine.get("security").get(0)).isEqualTo(theirs.get("security").get(0));
    for (JsonNode parameter : theirs.get("parameters")) {
      JsonNode same = byName(mine.get("parameters"), parameter.get("name").asString());
      assertThat(same).as(parameter.get("name").asString()).isNotNull();
      assertThat(same.get("in")).isEqualTo(parameter.get("in"));
      assertThat(same.get("required")).isEqualTo(parameter.get("required"));
      assertThat(same.at("/schema/type")).isEqualTo(parameter.at("/schema/type"));
    }
    assertThat(mine.at("/requestBody/required").asBoolean()).isTrue();
    assertThat(mine.at("/requestBody/content/application~1json/schema/$ref"))
        .isEqualTo(theirs.at("/requestBody/content/application~1json/schema/$ref"));
    for (String status : theirs.get("responses").propertyNames()) {
      JsonNode response = theirs.get("responses").get(status);
      JsonNode same = mine.get("responses").get(status);
      assertThat(same).as(status).isNotNull();
      assertThat(same.at("/content/application~1json/schema/$ref"))
          .as(status)
          .isEqualTo(response.at("/content/application~1json/schema/$ref"));
      if (response.has("headers")) {
        for (String header : response.get("headers").propertyNames()) {
          assertThat(same.at("/headers/" + header + "/schema/type"))
              .as(status + " " + header)
              .isEqualTo(response.at("/headers/" + header + "/schema/type"));
        }
      }
    }
  }

  @Test
  void each_of_trieves_schemas_is_accepted_by_the_schema_of_the_same_name() {
    JsonNode theirs = trieve.at("/components/schemas");
    JsonNode mine = ours.at("/components/schemas");

    assertThat(theirs.propertyNames())
        .containsExactlyInAnyOrder(
            "EditImageReqPayload",
            "ImageEditResponse",
            "ErrorResponseBody",
            "ImageUpload",
            "ImageSourceType",
            "InputImageQuality",
            "InputImageSize");
    for (String name : theirs.propertyNames()) {
      List<String> problems = new ArrayList<>();
      compatible(name, theirs.get(name), mine.get(name), problems);
      assertThat(problems).as(name).isEmpty();
    }
  }

  /**
   * Whatever {@code theirs} accepts or promises, {@code mine} does too: the same type, the same
   * required properties (none added), every property with a compatible schema, every enum value (or
   * a pattern that matches it), the same alternatives.
   */
  private static void compatible(String at, JsonNode theirs, JsonNode mine, List<String> problems) {
    if (mine == null || mine.isMissingNode()) {
      problems.add(at + " is missing");
      return;
    }
    if (theirs.has("$ref")) {
      if (!theirs.get("$ref").equals(mine.get("$ref"))) {
        problems.add(at + " refers to " + mine.get("$ref") + ", not " + theirs.get("$ref"));
      }
      return;
    }
    if (theirs.has("allOf")) {
      compatible(
          at + ".allOf[0]", theirs.get("allOf").get(0), mine.path("allOf").path(0), problems);
    }
    if (theirs.has("type") && !theirs.get("type").equals(mine.get("type"))) {
      problems.add(at + " is " + mine.get("type") + ", not " + theirs.get("type"));
    }
    if (theirs.path("nullable").asBoolean(false) && !mine.path("nullable").asBoolean(false)) {
      problems.add(at + " is not nullable");
    }
    if (!set(theirs.get("required")).equals(set(mine.get("required")))) {
      problems.add(
          at + " requires " + set(mine.get("required")) + ", not " + set(theirs.get("required")));
    }
    if (theirs.has("properties")) {
      for (String property : theirs.get("properties").propertyNames()) {
        compatible(
            at + "." + property,
            theirs.get("properties").get(property),
            mine.path("properties").path(property),
            problems);
      }
    }
    if (theirs.has("items")) {
      compatible(at + "[]", theirs.get("items"), mine.path("items"), problems);
    }
    if (theirs.has("enum")) {
      Set<String> accepted = set(mine.get("enum"));
      String pattern = mine.path("pattern").asString("");
      for (JsonNode value : theirs.get("enum")) {
        String v = value.asString();
        if (!accepted.contains(v) && (pattern.isEmpty() || !v.matches(pattern))) {
          problems.add(at + " does not accept " + v);
        }
      }
    }
    if (theirs.has("oneOf")) {
      JsonNode alternatives = mine.path("oneOf");
      if (alternatives.size() != theirs.get("oneOf").size()) {
        problems.add(at + " has " + alternatives.size() + " alternatives");
        return;
      }
      for (int i = 0; i < alternatives.size(); i++) {
        compatible(
            at + ".oneOf[" + i + "]", theirs.get("oneOf").get(i), alternatives.get(i), problems);
        if (!theirs.get("oneOf").get(i).path("title").equals(alternatives.get(i).path("title"))) {
          problems.add(
              at + ".oneOf[" + i + "] is not titled " + theirs.get("oneOf").get(i).get("title"));
        }
      }
    }
  }

  private static Set<String> set(JsonNode array) {
    Set<String> values = new HashSet<>();
    if (array != null) {
      array.forEach(v -> values.add(v.asString()));
    }
    return values;
  }

  private static List<String> names(JsonNode parameters) {
    List<String> names = new ArrayList<>();
    if (parameters != null) {
      parameters.forEach(p -> names.add(p.get("name").asString()));
    }
    return names;
  }

  private static JsonNode byName(JsonNode parameters, String name) {
    for (JsonNode p : parameters) {
      if (p.get("name").asString().equals(name)) {
        return p;
      }
    }
    return null;
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      if (node.has("$ref")) {
        refs.add(node.get("$ref").asString());
      }
      node.forEach(child -> collectRefs(child, refs));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}
