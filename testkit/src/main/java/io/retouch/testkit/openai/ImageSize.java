package io.retouch.testkit.openai;

/** Output dimensions in pixels. */
record ImageSize(int width, int height) {

  static final ImageSize SQUARE = new ImageSize(1024, 1024);

  boolean isSquare() {
    return width == height;
  }

  /** OpenAI's spelling, e.g. {@code 1536x1024}. */
  String label() {
    return width + "x" + height;
  }
}
