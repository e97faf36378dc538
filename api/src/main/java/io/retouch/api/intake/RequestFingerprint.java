package io.retouch.api.intake;

import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.InlineBase64;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of a submission as parsed, for {@code Idempotency-Key}: equal for the same request
 * however its JSON was formatted, different when any field differs. Each field is fed with its
 * length, so no two different requests run together into the same bytes. An inline image is fed as
 * its data-URL prefix and its decoded bytes in padded standard base64, re-encoded from where they
 * are spooled: the digest a string sent that way always had (so a key used before streaming still
 * matches), and the same for the same image sent with line breaks or without padding.
 */
final class RequestFingerprint {

  private static final int SLICE = 64 * 1024;

  private RequestFingerprint() {}

  static String of(EditImageRequest request) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    field(digest, request.prompt());
    field(digest, request.mimeType());
    field(digest, request.n() == null ? null : request.n().toString());
    field(digest, request.quality());
    field(digest, request.size());
    if (request.inputImages() != null) {
      field(digest, String.valueOf(request.inputImages().size()));
      for (EditImageRequest.InputImage image : request.inputImages()) {
        field(digest, image == null ? null : image.fileName());
        EditImageRequest.ImageSrc src = image == null ? null : image.imageSrc();
        base64(digest, src == null ? null : src.base64());
        field(digest, src == null ? null : src.url());
      }
    }
    // fields beyond Trieve's only when set: a seed-only request keeps the fingerprint it had
    // before they existed, so a retry across an upgrade still finds its job
    if (request.outputFormat() != null
        || request.outputCompression() != null
        || request.background() != null
        || request.inputFidelity() != null
        || request.complexity() != null) {
      field(digest, "options");
      field(digest, request.outputFormat());
      field(
          digest,
          request.outputCompression() == null ? null : request.outputCompression().toString());
      field(digest, request.background());
      field(digest, request.inputFidelity());
      field(digest, request.complexity());
    }
    if (request.webhook() != null || request.webhookEventsFilter() != null) {
      field(digest, "webhook");
      field(digest, request.webhook());
      List<String> filter = request.webhookEventsFilter();
      field(digest, filter == null ? null : String.valueOf(filter.size()));
      if (filter != null) {
        filter.forEach(type -> field(digest, type));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void field(MessageDigest digest, String value) {
    if (value == null) {
      digest.update((byte) 0);
      return;
    }
    length(digest, value.length());
    for (int start = 0; start < value.length(); start += SLICE) {
      String slice = value.substring(start, Math.min(value.length(), start + SLICE));
      digest.update(slice.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void base64(MessageDigest digest, InlineBase64 value) {
    if (value == null) {
      digest.update((byte) 0);
      return;
    }
    if (!value.valid() || value.decoded().size() != value.decodedBytes()) {
      throw new IllegalStateException("only a validated request has a fingerprint");
    }
    length(digest, value.prefix().length() + (value.decodedBytes() + 2) / 3 * 4);
    digest.update(value.prefix().getBytes(StandardCharsets.US_ASCII));
    Base64.Encoder encoder = Base64.getEncoder();
    byte[] chunk = new byte[SLICE / 4 * 3]; // whole 3-byte groups: no padding until the end
    try (InputStream in = value.decoded().open()) {
      for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
        digest.update(encoder.encode(n == chunk.length ? chunk : Arrays.copyOf(chunk, n)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read a spooled input", e);
    }
  }

  private static void length(MessageDigest digest, long length) {
    digest.update((byte) 1);
    digest.update(Long.toString(length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
  }
}
