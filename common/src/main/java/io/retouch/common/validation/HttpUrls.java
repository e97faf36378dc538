package io.retouch.common.validation;

import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.net.HostSpelling;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The rules every URL a client gives Retouch to call passes (URL inputs, webhooks): absolute http
 * or https, at most {@link #MAX_CHARS} characters, a host every parser reads the same way, and no
 * credentials (the URL is stored and shown back, credentials would leak there).
 */
public final class HttpUrls {

  /** Longest URL, in characters (the common limit of browsers and CDNs). */
  public static final int MAX_CHARS = 2048;

  private HttpUrls() {}

  /**
   * @param field the request field, named in the 400
   * @throws InvalidRequestException naming the field and the rule broken
   */
  public static URI parse(String value, String field) {
    String text = value.strip();
    if (text.length() > MAX_CHARS) {
      throw new InvalidRequestException(
          field, field + " must be at most " + MAX_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw notHttp(field);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null) {
      throw notHttp(field);
    }
    // java.net.URI has no host for 127.1 or 2130706433 (its grammar wants a letter in the last
    // label); other parsers read them as addresses, so they get the same answer as 0177.0.0.1.
    String host = uri.getHost() != null ? uri.getHost() : hostOf(uri.getRawAuthority());
    HostSpelling.ambiguity(host)
        .ifPresent(
            why -> {
              throw new InvalidRequestException(field, field + ": " + why);
            });
    if (uri.getHost() == null) {
      throw notHttp(field);
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidRequestException(
          field,
          field
              + " must not contain a user name or password (user:password@host); use a presigned"
              + " URL instead");
    }
    return uri;
  }

  /** The host of an authority {@code [user@]host[:port]}. */
  private static String hostOf(String authority) {
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    return host.replaceFirst(":[0-9]*$", "");
  }

  private static InvalidRequestException notHttp(String field) {
    return new InvalidRequestException(field, field + " must be an absolute http or https URL");
  }
}
