package io.retouch.api.intake;

import io.retouch.common.edit.EditImageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of a submission as parsed, for {@code Idempotency-Key}: equal for the same request
 * however its JSON was formatted, different when any field differs. Each field is fed with its
 * length, so no two different requests run together into the same bytes; long base64 strings are
 * fed in slices rather than copied whole.
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
        field(digest, src == null ? null : src.base64());
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
    digest.update((byte) 1);
    digest.update(Long.toString(value.length()).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    for (int start = 0; start < value.length(); start += SLICE) {
      String slice = value.substring(start, Math.min(value.length(), start + SLICE));
      digest.update(slice.getBytes(StandardCharsets.UTF_8));
    }
  }
}
