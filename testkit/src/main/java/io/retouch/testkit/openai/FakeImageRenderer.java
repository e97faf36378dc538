package io.retouch.testkit.openai;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Produces the fake's "edited" images: deterministic PNGs of the requested size whose colours come
 * from a hash of the inputs, the prompt and the image index, with the first input scaled into the
 * middle when ImageIO can decode it (PNG, JPEG; not WEBP).
 */
final class FakeImageRenderer {

  private static final int THUMBNAIL_CACHE_ENTRIES = 32;

  /** Load tests send the same inputs again and again; decoding and scaling them once is enough. */
  private final Map<String, BufferedImage> thumbnails =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BufferedImage> eldest) {
          return size() > THUMBNAIL_CACHE_ENTRIES;
        }
      };

  /**
   * Renders output image {@code index} (0-based) of {@code request} in its output format: PNG, JPEG
   * (at its compression) or lossless WEBP. With a transparent background the canvas around the band
   * and the thumbnail is fully transparent, in a real alpha channel.
   */
  byte[] render(EditRequest request, int index) {
    int width = request.size().width();
    int height = request.size().height();
    byte[] seed = seed(request, index);

    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    int[] pixels = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    Arrays.fill(pixels, request.transparent() ? 0 : 0xFF000000 | rgb(seed, 0));
    // A band across the top in a second colour makes sibling images easy to tell apart by eye.
    Arrays.fill(pixels, 0, width * Math.max(1, height / 16), 0xFF000000 | rgb(seed, 3));

    BufferedImage thumbnail = thumbnail(request.images().getFirst(), width / 2, height / 2);
    if (thumbnail != null) {
      Graphics2D g = canvas.createGraphics();
      try {
        g.drawImage(
            thumbnail,
            (width - thumbnail.getWidth()) / 2,
            (height - thumbnail.getHeight()) / 2,
            null);
      } finally {
        g.dispose();
      }
    }
    return switch (request.outputFormat()) {
      case "jpeg" -> jpeg(canvas, request.compression());
      case "webp" -> WebpEncoder.encode(width, height, pixels, request.transparent());
      default -> PngEncoder.encode(width, height, pixels, request.transparent());
    };
  }

  /** A baseline JPEG at {@code compression} percent quality, as OpenAI's parameter means it. */
  private static byte[] jpeg(BufferedImage argb, int compression) {
    BufferedImage rgb =
        new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(argb, 0, 0, null);
    } finally {
      g.dispose();
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (var bytes = new java.io.ByteArrayOutputStream();
        var out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(compression / 100f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(rgb, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  private BufferedImage thumbnail(UploadedImage input, int maxWidth, int maxHeight) {
    if (input.preview() == null) {
      return null; // too large to keep; the answer has no thumbnail
    }
    String key = input.sha256() + "/" + maxWidth + "x" + maxHeight;
    synchronized (thumbnails) {
      if (thumbnails.containsKey(key)) {
        return thumbnails.get(key);
      }
    }
    BufferedImage scaled = scale(decode(input.preview(), maxWidth, maxHeight), maxWidth, maxHeight);
    synchronized (thumbnails) {
      thumbnails.put(key, scaled);
    }
    return scaled;
  }

  /**
   * Decodes every n-th pixel only, so that a large input costs about the thumbnail's memory, not
   * the full image's. Null when ImageIO has no reader for the format (WEBP) or the bytes are
   * damaged.
   */
  private static BufferedImage decode(byte[] bytes, int maxWidth, int maxHeight) {
    // a memory cache avoids ImageIO's temp files
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int step =
            Math.max(1, Math.min(reader.getWidth(0) / maxWidth, reader.getHeight(0) / maxHeight));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (Exception e) {
      return null;
    }
  }

  private static BufferedImage scale(BufferedImage source, int maxWidth, int maxHeight) {
    if (source == null || source.getWidth() <= 0 || source.getHeight() <= 0) {
      return null;
    }
    double factor =
        Math.min((double) maxWidth / source.getWidth(), (double) maxHeight / source.getHeight());
    int width = Math.max(1, (int) Math.round(source.getWidth() * factor));
    int height = Math.max(1, (int) Math.round(source.getHeight() * factor));
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return scaled;
  }

  private static byte[] seed(EditRequest request, int index) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (UploadedImage image : request.images()) {
        digest.update(image.sha256().getBytes(StandardCharsets.US_ASCII));
      }
      digest.update(request.prompt().getBytes(StandardCharsets.UTF_8));
      digest.update(ByteBuffer.allocate(4).putInt(index).array());
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static int rgb(byte[] seed, int offset) {
    return (seed[offset] & 0xFF) << 16 | (seed[offset + 1] & 0xFF) << 8 | (seed[offset + 2] & 0xFF);
  }
}
