package io.retouch.api.intake;

import io.retouch.common.edit.EditImageRequest;

/**
 * A submission's body as read, with its decoded inline images; close it once the job is recorded or
 * refused, which deletes their temp files.
 */
public final class ReceivedRequest implements AutoCloseable {

  private final EditImageRequest body;
  private final InputSpools spools;

  ReceivedRequest(EditImageRequest body, InputSpools spools) {
    this.body = body;
    this.spools = spools;
  }

  public EditImageRequest body() {
    return body;
  }

  @Override
  public void close() {
    spools.close();
  }
}
