package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/** Which port the API gets: {@code RETOUCH_API_PORT}, or a free one when that is 0 or taken. */
final class Ports {

  /** The API's port and, when it is not the one asked for, why. */
  record Choice(int port, boolean taken) {}

  private Ports() {}

  /** {@code wanted} when nothing listens on it, else (and for 0) any free port. */
  static Choice apiPort(int wanted) {
    if (wanted == 0) {
      return new Choice(free(), false);
    }
    return isFree(wanted) ? new Choice(wanted, false) : new Choice(free(), true);
  }

  /**
   * True when nothing listens on {@code port}, on any address, IPv4 or IPv6. Bound with
   * SO_REUSEADDR as the server binds: connections in TIME_WAIT after a crash or a restart do not
   * make the port look taken, while a socket that listens on it still does.
   */
  static boolean isFree(int port) {
    return bindable(StandardProtocolFamily.INET, "0.0.0.0", port)
        && bindable(StandardProtocolFamily.INET6, "::", port);
  }

  /** Any free port on loopback. */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean bindable(StandardProtocolFamily family, String address, int port) {
    try (ServerSocketChannel channel = ServerSocketChannel.open(family)) {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return true;
    } catch (BindException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      return true; // no such protocol family here: nothing can listen on it either
    }
  }
}
