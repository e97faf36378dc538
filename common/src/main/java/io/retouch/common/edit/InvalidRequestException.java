package io.retouch.common.edit;

/** A request rule was broken; {@link #field()} names the JSON path at fault. */
public final class InvalidRequestException extends RuntimeException {

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
