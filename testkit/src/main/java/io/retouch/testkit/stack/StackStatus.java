package io.retouch.testkit.stack;

import io.retouch.testkit.process.AppProcess;
import io.retouch.testkit.process.RetouchApps;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code stack status}: one line per component, then the API's health and where stack.json is. */
final class StackStatus {

  private final StackDir dir;
  private final Components components;
  private final PrintStream out;

  StackStatus(StackDir dir, Components components, PrintStream out) {
    this.dir = dir;
    this.components = components;
    this.out = out;
  }

  void print() {
    Optional<StackState> state = StackState.load(dir.state());
    List<String> names = state.map(StackState::components).orElse(StackState.components(1, false));
    for (String name : names) {
      Optional<ProcessHandle> live = components.live(name);
      if (live.isPresent()) {
        String port = port(name, state).stream().mapToObj(p -> "port " + p).findFirst().orElse("");
        out.printf(
            "%-12s pid %-8s running   %s%n",
            name, live.get().pid(), port.isEmpty() ? "(no port)" : port);
      } else {
        String note = notUsed(name, state);
        out.printf(
            "%-12s pid %-8s %-9s %s%n", name, "-", note.isEmpty() ? "stopped" : "not used", note);
      }
    }
    String apiUrl = state.map(StackState::apiUrl).orElse("");
    if (apiUrl.isEmpty()) {
      out.printf("%-12s - (the stack is not up)%n", "api health");
    } else if (RetouchApps.healthy(apiUrl)) {
      out.printf("%-12s %s/actuator/health UP%n", "api health", apiUrl);
    } else {
      out.printf("%-12s %s/actuator/health DOWN (or not answering)%n", "api health", apiUrl);
    }
    if (Files.isRegularFile(dir.stackJson())) {
      out.printf("%-12s %s%n", "stack.json", dir.show(dir.stackJson()));
    }
  }

  private OptionalInt port(String name, Optional<StackState> state) {
    return switch (name) {
      case StackState.API ->
          state.map(s -> OptionalInt.of(s.apiPort())).orElse(OptionalInt.empty());
      case StackState.S3 -> state.map(StackState::s3Port).orElse(OptionalInt.empty());
      case StackState.FAKE_OPENAI ->
          state.map(StackState::fakeOpenAiPort).orElse(OptionalInt.empty());
      case StackState.CONTAINERS -> OptionalInt.empty();
      default -> AppProcess.loggedPort(dir.log(name), AppProcess.TOMCAT_PORT); // a worker
    };
  }

  /** Why a stopped component is not a fault: the stack uses a configured service instead. */
  private static String notUsed(String name, Optional<StackState> state) {
    if (state.isEmpty()) {
      return "";
    }
    StackState s = state.get();
    return switch (name) {
      case StackState.S3 ->
          s.s3Port().isEmpty() && !s.s3Endpoint().isEmpty()
              ? "(storage: " + s.s3Endpoint() + ")"
              : "";
      case StackState.FAKE_OPENAI ->
          s.fakeOpenAiPort().isEmpty() && !s.openAiUrl().isEmpty()
              ? "(OpenAI: " + s.openAiUrl() + ")"
              : "";
      default -> "";
    };
  }
}
