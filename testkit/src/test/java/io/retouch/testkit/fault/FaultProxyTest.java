package io.retouch.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                              // connection cut by the test
                            }
                          });
                } catch (IOException e) {
                  return;
                }
              }
            });
    proxy = FaultProxy.to("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes());
    socket.getOutputStream().flush();
    byte[] buffer = socket.getInputStream().readNBytes(text.length());
    return new String(buffer);
  }

  @Test
  void forwards_both_ways() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void a_cut_drops_open_connections_and_refuses_new_ones_until_restored() throws IOException {
    Socket open = new Socket("127.0.0.1", proxy.port());
    assertThat(roundTrip(open, "ping")).isEqualTo("ping");

    proxy.cut();

    InputStream in = open.getInputStream();
    assertThatThrownBy(
            () -> {
              open.getOutputStream().write("x".getBytes());
              if (in.read() < 0) {
                throw new IOException("closed");
              }
            })
        .isInstanceOf(IOException.class);
    try (Socket refused = new Socket("127.0.0.1", proxy.port())) {
      assertThatThrownBy(
              () -> {
                refused.getOutputStream().write("x".getBytes());
                if (refused.getInputStream().read() < 0) {
                  throw new IOException("closed");
                }
              })
          .isInstanceOf(IOException.class);
    }

    proxy.restore();
    try (Socket again = new Socket("127.0.0.1", proxy.port())) {
      assertThat(roundTrip(again, "back")).isEqualTo("back");
    }
  }
}
