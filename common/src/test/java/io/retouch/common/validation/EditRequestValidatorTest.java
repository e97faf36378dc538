package io.retouch.common.validation;

import static io.retouch.common.testing.Images.base64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.EditImageRequest.ImageSrc;
import io.retouch.common.edit.EditImageRequest.InputImage;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditRequest;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.edit.ImageSource;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.edit.OutputFormat;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.testing.Images;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EditRequestValidatorTest {

  private static final io.retouch.common.net.AddressPolicy PUBLIC_ONLY =
      new io.retouch.common.net.AddressPolicy(false);

  private final EditRequestValidator validator =
      new EditRequestValidator(
          io.retouch.common.openai.OpenAiProperties.DEFAULT_MODEL, PUBLIC_ONLY);

  private static InputImage png(String name) {
    return new InputImage(name, new ImageSrc(InlineBase64.of(base64(Images.png())), null));
  }

  private static InputImage inline(String name, byte[] bytes) {
    return new InputImage(name, new ImageSrc(InlineBase64.of(base64(bytes)), null));
  }

  private static InputImage url(String url) {
    return new InputImage("a.png", new ImageSrc(null, url));
  }

  private static EditImageRequest options(
      EditImageRequest r,
      String format,
      Integer compression,
      String background,
      String fidelity,
      String complexity) {
    return new EditImageRequest(
        r.inputImages(),
        r.prompt(),
        null,
        null,
        null,
        null,
        format,
        compression,
        background,
        fidelity,
        complexity,
        null,
        null);
  }

  private static EditImageRequest valid() {
    return trieve(List.of(png("a.png")), "make it blue", null, null, null, null);
  }

  private static EditImageRequest withImages(List<InputImage> images) {
    return trieve(images, "make it blue", null, null, null, null);
  }

  static Stream<Arguments> brokenRules() {
    byte[] tooBig = new byte[(int) EditRequestValidator.MAX_IMAGE_BYTES + 1];
    System.arraycopy(Images.png(), 0, tooBig, 0, Images.png().length);
    return Stream.<Object[]>of(
            row("no images", r -> withImages(List.of()), "input_images", "between 1 and 16"),
            row("null images", r -> withImages(null), "input_images", "between 1 and 16"),
            row(
                "17 images",
                r -> withImages(Collections.nCopies(17, png("a.png"))),
                "input_images",
                "between 1 and 16"),
            row(
                "missing file name",
                r ->
                    withImages(
                        List.of(
                            new InputImage(
                                " ", new ImageSrc(InlineBase64.of(base64(Images.png())), null)))),
                "input_images[0].file_name",
                "is required"),
            row(
                "no source",
                r -> withImages(List.of(new InputImage("a.png", null))),
                "input_images[0].image_src",
                "exactly one of base64 or url"),
            row(
                "both sources",
                r ->
                    withImages(
                        List.of(
                            new InputImage(
                                "a.png",
                                new ImageSrc(InlineBase64.of("AAAA"), "https://x.test/a")))),
                "input_images[0].image_src",
                "exactly one of base64 or url"),
            row(
                "broken base64",
                r ->
                    withImages(
                        List.of(
                            new InputImage(
                                "a.png", new ImageSrc(InlineBase64.of("@@@@!!"), null)))),
                "input_images[0].image_src.base64",
                "is not valid base64"),
            row(
                "empty base64",
                r ->
                    withImages(
                        List.of(new InputImage("a.png", new ImageSrc(InlineBase64.of(""), null)))),
                "input_images[0].image_src.base64",
                "is empty"),
            row(
                "not an image",
                r ->
                    withImages(
                        List.of(
                            new InputImage(
                                "a.gif",
                                new ImageSrc(InlineBase64.of(base64("GIF89a".getBytes())), null)))),
                "input_images[0].image_src.base64",
                "is not a PNG, JPEG or WEBP image"),
            row(
                "over 50 MB",
                r ->
                    withImages(
                        List.of(
                            new InputImage(
                                "big.png", new ImageSrc(InlineBase64.of(base64(tooBig)), null)))),
                "input_images[0].image_src.base64",
                "the limit is 52428800 bytes"),
            row(
                "mixed types",
                r ->
                    withImages(
                        List.of(
                            png("a.png"),
                            new InputImage(
                                "b.jpg",
                                new ImageSrc(InlineBase64.of(base64(Images.jpeg())), null)))),
                "input_images[1]",
                "input_images[1] is image/jpeg but input_images[0] is image/png"),
            row(
                "a truncated PNG",
                r -> withImages(List.of(inline("a.png", Images.cut(Images.png(), 30)))),
                "input_images[0].image_src.base64",
                "input_images[0].image_src.base64 is a truncated PNG"),
            row(
                "a PNG signature alone",
                r -> withImages(List.of(inline("a.png", Images.pngSignature()))),
                "input_images[0].image_src.base64",
                "is a truncated PNG: it ends before its IHDR chunk"),
            row(
                "a PNG declaring 100000x100000",
                r ->
                    withImages(
                        List.of(png("a.png"), inline("b.png", Images.png(100_000, 100_000)))),
                "input_images[1].image_src.base64",
                "is a PNG of 100000x100000 pixels"),
            row(
                "a truncated JPEG",
                r -> withImages(List.of(inline("a.jpg", Images.cut(Images.jpeg(), 100)))),
                "input_images[0].image_src.base64",
                "is a truncated JPEG"),
            row(
                "a truncated WEBP",
                r -> withImages(List.of(inline("a.webp", Images.cut(Images.webp(), 20)))),
                "input_images[0].image_src.base64",
                "is a truncated WEBP"),
            row(
                "a file name of 1025 characters",
                r -> withImages(List.of(inline("é".repeat(1025), Images.png()))),
                "input_images[0].file_name",
                "at most 1024 characters"),
            row(
                "a URL of 2049 characters",
                r -> withImages(List.of(url("https://images.test/" + "a".repeat(2029)))),
                "input_images[0].image_src.url",
                "must be at most 2048 characters"),
            row(
                "a URL with a password",
                r -> withImages(List.of(url("https://bob:s3cret@images.test/a.png"))),
                "input_images[0].image_src.url",
                "must not contain a user name or password"),
            row(
                "a URL with a user name",
                r -> withImages(List.of(url("https://token@images.test/a.png"))),
                "input_images[0].image_src.url",
                "must not contain a user name or password"),
            row(
                "a URL with an octal host",
                r -> withImages(List.of(url("http://0177.0.0.1/a.png"))),
                "input_images[0].image_src.url",
                "the host 0177.0.0.1 is an IPv4 address in a form resolvers read differently"),
            row(
                "ftp url",
                r ->
                    withImages(
                        List.of(new InputImage("a.png", new ImageSrc(null, "ftp://x.test/a")))),
                "input_images[0].image_src.url",
                "absolute http or https URL"),
            row(
                "relative url",
                r -> withImages(List.of(new InputImage("a.png", new ImageSrc(null, "/a.png")))),
                "input_images[0].image_src.url",
                "absolute http or https URL"),
            row(
                "unknown mime type",
                r -> trieve(r.inputImages(), r.prompt(), "image/gif", null, null, null),
                "mime_type",
                "must be one of image/png, image/jpeg, image/webp"),
            row(
                "mime type disagrees",
                r -> trieve(r.inputImages(), r.prompt(), "image/jpeg", null, null, null),
                "mime_type",
                "mime_type is image/jpeg but input_images[0] is image/png"),
            row(
                "no prompt",
                r -> trieve(r.inputImages(), null, null, null, null, null),
                "prompt",
                "prompt is required"),
            row(
                "blank prompt",
                r -> trieve(r.inputImages(), "  ", null, null, null, null),
                "prompt",
                "prompt is required"),
            row(
                "prompt too long",
                r -> trieve(r.inputImages(), "x".repeat(32_001), null, null, null, null),
                "prompt",
                "at most 32000 characters"),
            row(
                "prompt of 32,001 characters, half of them emoji",
                r ->
                    trieve(
                        r.inputImages(),
                        "\uD83C\uDFA8".repeat(16_000) + "x".repeat(16_001),
                        null,
                        null,
                        null,
                        null),
                "prompt",
                "at most 32000 characters"),
            row(
                "n zero",
                r -> trieve(r.inputImages(), r.prompt(), null, 0, null, null),
                "n",
                "between 1 and 10"),
            row(
                "n eleven",
                r -> trieve(r.inputImages(), r.prompt(), null, 11, null, null),
                "n",
                "between 1 and 10"),
            row(
                "bad quality",
                r -> trieve(r.inputImages(), r.prompt(), null, null, "ultra", null),
                "quality",
                "one of low, medium, high, xhigh, max, auto"),
            row(
                "bad size",
                r -> trieve(r.inputImages(), r.prompt(), null, null, null, "large"),
                "size",
                "size must be one of 1024x1024, 1536x1024, 1024x1536, auto, or WIDTHxHEIGHT"),
            row(
                "a size the model does not take",
                r -> trieve(r.inputImages(), r.prompt(), null, null, null, "512x512"),
                "size",
                "size 512x512 is not accepted by gpt-image-2.6-sunburst: it must have between"),
            row(
                "an unknown output format",
                r -> options(r, "gif", null, null, null, null),
                "output_format",
                "output_format must be one of png, jpeg, webp"),
            row(
                "compression out of range",
                r -> options(r, "jpeg", 101, null, null, null),
                "output_compression",
                "output_compression must be between 0 and 100"),
            row(
                "compression of a PNG",
                r -> options(r, null, 50, null, null, null),
                "output_compression",
                "output_compression applies to output_format jpeg, webp only, not png"),
            row(
                "a transparent JPEG",
                r -> options(r, "jpeg", null, "transparent", null, null),
                "background",
                "a transparent background needs output_format png, webp, not jpeg"),
            row(
                "input fidelity on a 2.6 model",
                r -> options(r, null, null, null, "high", null),
                "input_fidelity",
                "input_fidelity is not supported by gpt-image-2.6-sunburst"),
            row(
                "an unknown complexity",
                r -> options(r, null, null, null, null, "extreme"),
                "complexity",
                "complexity must be one of low, medium, high"))
        .map(Arguments::of);
  }

  private static Object[] row(
      String name, UnaryOperator<EditImageRequest> change, String field, String message) {
    return new Object[] {name, change, field, message};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  void each_broken_rule_names_its_field(
      String name, UnaryOperator<EditImageRequest> change, String field, String message) {
    assertThatThrownBy(() -> validator.validate(change.apply(valid())))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }

  @Test
  void applies_trieve_defaults() {
    EditRequest request = validator.validate(valid());
    assertThat(request.spec().n()).isEqualTo(1);
    assertThat(request.spec().size()).isEqualTo(ImageSize.SQUARE);
    assertThat(request.spec().quality()).isEqualTo(ImageQuality.LOW);
    assertThat(request.spec().options()).isEqualTo(EditOptions.NONE);
    assertThat(request.format()).contains(ImageFormat.PNG);
    assertThat(request.inputs().getFirst().source())
        .isInstanceOfSatisfying(
            ImageSource.Inline.class,
            i -> assertThat(i.content().readAllBytes()).isEqualTo(Images.png()));
  }

  @Test
  void a_prompt_of_32000_characters_passes_even_when_emoji_take_two_utf16_units_each() {
    // 🎨 is one character (code point) but two chars in a Java String
    String prompt = "\uD83C\uDFA8".repeat(16_000) + "x".repeat(16_000);
    assertThat(prompt.length()).isEqualTo(48_000);

    EditRequest request =
        validator.validate(trieve(valid().inputImages(), prompt, null, null, null, null));

    assertThat(request.spec().prompt()).isEqualTo(prompt);
  }

  @Test
  void strips_a_data_url_prefix_and_line_breaks() {
    String wrapped = base64(Images.jpeg()).replaceAll("(.{4})", "$1\n");
    EditImageRequest body =
        withImages(
            List.of(
                new InputImage(
                    "a.jpg",
                    new ImageSrc(InlineBase64.of("data:image/jpeg;base64," + wrapped), null))));
    EditRequest request = validator.validate(body);
    assertThat(request.format()).contains(ImageFormat.JPEG);
  }

  @Test
  void accepts_sixteen_images_of_one_type_and_every_option() {
    List<InputImage> images = new ArrayList<>(Collections.nCopies(15, png("a.png")));
    images.add(new InputImage("b.png", new ImageSrc(null, "https://images.test/b.png")));
    EditRequest request =
        validator.validate(trieve(images, "p", "image/png", 10, "high", "1536x1024"));
    assertThat(request.inputs()).hasSize(16);
    assertThat(request.inputs().getLast().source()).isInstanceOf(ImageSource.Url.class);
    assertThat(request.spec().n()).isEqualTo(10);
    assertThat(request.spec().quality()).isEqualTo(ImageQuality.HIGH);
    assertThat(request.spec().size()).isEqualTo(ImageSize.LANDSCAPE);
  }

  @Test
  void url_only_requests_have_no_format_until_fetched() {
    EditRequest request =
        validator.validate(
            withImages(List.of(new InputImage("a", new ImageSrc(null, "http://images.test/a")))));
    assertThat(request.format()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "0177.0.0.1, leading zero: octal to curl, decimal to Java",
    "01.2.3.4, leading zero",
    "127.000.000.001, leading zeros",
    "0x7f.0.0.1, hexadecimal part",
    "0x7f000001, one hexadecimal number",
    "2130706433, one decimal number",
    "127.1, two parts",
    "10.1.1, three parts",
    "1.2.3.4.5, five parts",
    "256.1.1.1, a part over 255",
    "1.2.3.4., trailing dot",
    "example.0x1, last label hexadecimal",
    "foo.123, last label a number",
  })
  void hosts_that_resolvers_read_differently_are_refused(String host, String why) {
    assertThatThrownBy(
            () -> validator.validate(withImages(List.of(url("http://" + host + "/a.png")))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is an IPv4 address in a form resolvers read differently");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "93.184.216.34",
        "0.0.0.0",
        "images.test",
        "0x10.images.test",
        "123.images.test",
        "1e100.net",
        "[2001:db8::1]",
        "[::ffff:127.0.0.1]",
        "images.test."
      })
  void canonical_addresses_and_names_are_accepted(String host) {
    EditRequest request =
        validator.validate(withImages(List.of(url("https://" + host + "/a.png"))));
    assertThat(request.inputs().getFirst().source()).isInstanceOf(ImageSource.Url.class);
  }

  @org.junit.jupiter.api.Test
  void options_beyond_the_seed_are_taken_when_the_model_accepts_them() {
    EditRequest request =
        validator.validate(
            new EditImageRequest(
                valid().inputImages(),
                "p",
                null,
                null,
                "xhigh",
                "1536x864",
                "webp",
                80,
                "transparent",
                null,
                "medium",
                null,
                null));

    assertThat(request.spec().size()).isEqualTo(new ImageSize(1536, 864));
    assertThat(request.spec().quality()).isEqualTo(ImageQuality.XHIGH);
    assertThat(request.spec().options())
        .isEqualTo(
            new EditOptions(
                java.util.Optional.of(OutputFormat.WEBP),
                java.util.Optional.of(80),
                java.util.Optional.of(Background.TRANSPARENT),
                java.util.Optional.empty(),
                java.util.Optional.of(Complexity.MEDIUM)));
  }

  @org.junit.jupiter.api.Test
  void a_model_the_table_does_not_know_gets_the_contracts_rules_only() {
    EditRequestValidator unknown = new EditRequestValidator("gpt-image-9", PUBLIC_ONLY);
    EditRequest request =
        unknown.validate(
            new EditImageRequest(
                valid().inputImages(),
                "p",
                null,
                null,
                null,
                "512x512",
                null,
                null,
                null,
                "high",
                "high",
                null,
                null));

    assertThat(unknown.capabilities()).isEmpty();
    assertThat(request.spec().size()).isEqualTo(new ImageSize(512, 512));
    assertThat(request.spec().options().inputFidelity()).contains(InputFidelity.HIGH);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "gpt-image-2|background transparent|background|background transparent is not supported by gpt-image-2, which takes opaque, auto",
        "gpt-image-2|quality max|quality|quality max is not supported by gpt-image-2, which takes low, medium, high, auto",
        "gpt-image-2.5-flare-2026-09-08|complexity low|complexity|complexity is not supported by gpt-image-2.5-flare-2026-09-08",
        "gpt-image-1.5|size 1536x864|size|size 1536x864 is not accepted by gpt-image-1.5, which takes 1024x1024, 1536x1024, 1024x1536, auto",
        "gpt-image-1-mini|input_fidelity high|input_fidelity|input_fidelity high is not supported by gpt-image-1-mini, which takes low",
        "gpt-image-2.6-flare|size 3840x1024|size|size 3840x1024 is not accepted by gpt-image-2.6-flare: its aspect ratio must be between 1:3 and 3:1",
        "gpt-image-2.6-flare|size 4096x2048|size|size 4096x2048 is not accepted by gpt-image-2.6-flare: no side may be longer than 3840 pixels",
        "gpt-image-2.6-flare|size 1000x1000|size|size 1000x1000 is not accepted by gpt-image-2.6-flare: width and height must both be multiples of 16",
      })
  void each_model_is_held_to_its_own_capabilities(
      String model, String setting, String field, String message) {
    String[] kv = setting.split(" ");
    EditImageRequest base = valid();
    EditImageRequest body =
        new EditImageRequest(
            base.inputImages(),
            "p",
            null,
            null,
            kv[0].equals("quality") ? kv[1] : null,
            kv[0].equals("size") ? kv[1] : null,
            null,
            null,
            kv[0].equals("background") ? kv[1] : null,
            kv[0].equals("input_fidelity") ? kv[1] : null,
            kv[0].equals("complexity") ? kv[1] : null,
            null,
            null);

    assertThatThrownBy(() -> new EditRequestValidator(model, PUBLIC_ONLY).validate(body))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessage(message);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "gpt-image-2.6-sunburst",
        "gpt-image-2.6-flare",
        "gpt-image-2.5-sunburst",
        "gpt-image-2",
        "gpt-image-1.5",
        "gpt-image-1"
      })
  void a_request_with_only_the_seeds_fields_is_valid_on_every_model(String model) {
    for (String size : List.of("1024x1024", "1536x1024", "1024x1536")) {
      for (String quality : List.of("low", "medium", "high")) {
        EditRequest request =
            new EditRequestValidator(model, PUBLIC_ONLY)
                .validate(trieve(valid().inputImages(), "p", null, 10, quality, size));
        assertThat(request.spec().options()).isEqualTo(EditOptions.NONE);
      }
    }
  }

  private static EditImageRequest withWebhook(String webhook, List<String> filter) {
    EditImageRequest r = valid();
    return new EditImageRequest(
        r.inputImages(),
        r.prompt(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        webhook,
        filter);
  }

  @Test
  void a_job_webhook_receives_the_terminal_events_unless_the_filter_says_otherwise() {
    EditRequest plain = validator.validate(withWebhook("https://hooks.example.com/done", null));
    assertThat(plain.webhook().orElseThrow().url()).hasToString("https://hooks.example.com/done");
    assertThat(plain.webhook().orElseThrow().events())
        .containsExactlyInAnyOrderElementsOf(io.retouch.common.event.EventType.TERMINAL);

    EditRequest filtered =
        validator.validate(
            withWebhook("https://hooks.example.com/done", List.of("edit_image.processing")));
    assertThat(filtered.webhook().orElseThrow().events())
        .containsExactly(io.retouch.common.event.EventType.PROCESSING);
    assertThat(validator.validate(valid()).webhook()).isEmpty();
  }

  @Test
  void a_job_webhook_follows_the_webhook_rules() {
    assertThatThrownBy(() -> validator.validate(withWebhook("http://10.1.2.3/hook", null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("webhook"))
        .hasMessageContaining("Private-Use");
    assertThatThrownBy(() -> validator.validate(withWebhook(null, List.of("edit_image.failed"))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("webhook_events_filter"));
    assertThatThrownBy(
            () -> validator.validate(withWebhook("https://hooks.example.com/x", List.of())))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(
            new EditRequestValidator("gpt-image-2", new io.retouch.common.net.AddressPolicy(true))
                .validate(withWebhook("http://127.0.0.1:9/hook", null))
                .webhook())
        .isPresent();
  }

  /** A request with Trieve's fields only, as Trieve's SDK sends it. */
  private static EditImageRequest trieve(
      List<InputImage> images,
      String prompt,
      String mimeType,
      Integer n,
      String quality,
      String size) {
    return new EditImageRequest(
        images, prompt, mimeType, n, quality, size, null, null, null, null, null, null, null);
  }
}
