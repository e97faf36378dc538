package io.retouch.common.edit;

import io.retouch.common.image.ImageFormat;
import io.retouch.common.spool.SpooledBytes;
import java.net.URI;

/** Where a validated input's bytes come from. */
public sealed interface ImageSource {

  /** Bytes sent inline, already decoded (held once, in memory or a temp file) and recognised. */
  record Inline(SpooledBytes content, ImageFormat format) implements ImageSource {}

  /** An http(s) URL the worker fetches under the fetch policy. */
  record Url(URI uri) implements ImageSource {}
}
