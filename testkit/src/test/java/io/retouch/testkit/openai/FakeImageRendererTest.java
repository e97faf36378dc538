package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeImageRendererTest {

  private final FakeImageRenderer renderer = new FakeImageRenderer();

  private static EditRequest request(String prompt, ImageSize size, byte[] input, String type) {
    UploadedImage image = Uploads.image(type, input);
    return new EditRequest(
        "gpt-image-2.6-sunburst", prompt, 2, size, "low", "png", 100, "opaque", List.of(image));
  }

  @Test
  void rendersPngOfExactlyTheRequestedSize() {
    for (ImageSize size :
        List.of(new ImageSize(1024, 1024), new ImageSize(1536, 1024), new ImageSize(1024, 1536))) {
      byte[] png =
          renderer.render(request("p", size, TestImages.png(10, 10, Color.RED), "image/png"), 0);

      BufferedImage image = TestImages.decode(png);
      assertThat(image.getWidth()).isEqualTo(size.width());
      assertThat(image.getHeight()).isEqualTo(size.height());
      assertThat(ImageFormat.PNG.matches(png)).isTrue();
    }
  }

  @Test
  void isDeterministicAndVariesWithPromptAndIndex() {
    byte[] input = TestImages.png(16, 16, Color.GREEN);
    EditRequest request = request("a cat", ImageSize.SQUARE, input, "image/png");

    byte[] first = renderer.render(request, 0);

    assertThat(new FakeImageRenderer().render(request, 0)).isEqualTo(first);
    assertThat(renderer.render(request, 1)).isNotEqualTo(first);
    assertThat(renderer.render(request("a dog", ImageSize.SQUARE, input, "image/png"), 0))
        .isNotEqualTo(first);
  }

  @Test
  void putsTheFirstInputInTheMiddle() {
    BufferedImage image =
        TestImages.decode(
            renderer.render(
                request("p", ImageSize.SQUARE, TestImages.png(20, 20, Color.MAGENTA), "image/png"),
                0));

    assertThat(image.getRGB(512, 512) & 0xFFFFFF).isEqualTo(0xFF00FF);
    assertThat(image.getRGB(20, 1000) & 0xFFFFFF).isNotEqualTo(0xFF00FF);
  }

  @Test
  void skipsTheThumbnailForInputsImageIoCannotRead() {
    BufferedImage image =
        TestImages.decode(
            renderer.render(request("p", ImageSize.SQUARE, TestImages.webp(), "image/webp"), 0));

    assertThat(image.getRGB(512, 512)).isEqualTo(image.getRGB(20, 1000));
  }

  @Test
  void keepsFlatImagesSmall() {
    byte[] png =
        renderer.render(
            request(
                "p",
                new ImageSize(1536, 1024),
                TestImages.jpeg(64, 48, Color.ORANGE),
                "image/jpeg"),
            0);

    assertThat(png.length).isLessThan(200_000);
  }
}
