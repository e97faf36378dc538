package io.retouch.testkit.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The collector reads what OpenTelemetry's own OTLP/HTTP exporter sends, gzipped or not. */
class OtlpCollectorTest {

  @Test
  void spans_from_the_real_exporter_arrive_with_ids_parents_names_service_and_attributes() {
    for (String compression : new String[] {"none", "gzip"}) {
      try (OtlpCollector collector = OtlpCollector.start(0)) {
        OtlpHttpSpanExporter exporter =
            OtlpHttpSpanExporter.builder()
                .setEndpoint(collector.tracesEndpoint().toString())
                .setCompression(compression)
                .build();
        SdkTracerProvider provider =
            SdkTracerProvider.builder()
                .setResource(
                    Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), "retouch-test")))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        Tracer tracer = provider.get("test");
        Span parent = tracer.spanBuilder("POST /api/message/edit_image").startSpan();
        String childId;
        try (Scope scope = parent.makeCurrent()) {
          Span child = tracer.spanBuilder("openai image edit").startSpan();
          child.setAttribute("job.id", "0191-job");
          child.setAttribute("job.attempt", 2L);
          childId = child.getSpanContext().getSpanId();
          child.end();
        }
        parent.end();
        CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.close();

        assertThat(flushed.isSuccess()).as(compression).isTrue();
        assertThat(collector.spans())
            .as(compression)
            .extracting(OtlpCollector.Span::name)
            .containsExactlyInAnyOrder("openai image edit", "POST /api/message/edit_image");
        OtlpCollector.Span child = named(collector, "openai image edit");
        OtlpCollector.Span root = named(collector, "POST /api/message/edit_image");
        assertThat(child.traceId()).isEqualTo(parent.getSpanContext().getTraceId()).hasSize(32);
        assertThat(child.spanId()).isEqualTo(childId);
        assertThat(child.parentSpanId()).isEqualTo(root.spanId());
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(child.startNanos()).isGreaterThanOrEqualTo(root.startNanos()).isPositive();
        assertThat(child.endNanos()).isGreaterThanOrEqualTo(child.startNanos());
        assertThat(root.endNanos()).isGreaterThanOrEqualTo(child.endNanos());
        assertThat(child.service()).isEqualTo("retouch-test");
        assertThat(child.attributes())
            .as("string attributes only")
            .containsEntry("job.id", "0191-job")
            .doesNotContainKey("job.attempt");
      }
    }
  }

  private static OtlpCollector.Span named(OtlpCollector collector, String name) {
    return collector.spans().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void a_body_that_is_not_protobuf_is_refused() {
    assertThatThrownBy(() -> OtlpCollector.decodeRequest(new byte[] {0x0a, 0x7f, 0x01}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }
}
