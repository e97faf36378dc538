package io.retouch.testkit.stack;

import io.retouch.testkit.services.ServiceContainers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar retouch-testkit.jar stack up|down|status}, which {@code scripts/stack} runs: the
 * local stack of {@code -Dretouch.repo} (local S3, fake OpenAI, API, workers), in {@code
 * RETOUCH_STACK_DIR} or {@code <repo>/.run}.
 */
public final class StackCommand {

  static final String USAGE = "usage: scripts/stack up|down|status";

  private StackCommand() {}

  /** Runs the command and returns the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
      throws Exception {
    if (args.length != 1) {
      err.println(USAGE);
      return 2;
    }
    Path root = Path.of(System.getProperty("retouch.repo", ".")).toAbsolutePath().normalize();
    StackDir dir = StackDir.of(root, env, Path.of("").toAbsolutePath());
    Components components = new Components(dir);
    Say say = new Say("stack", err);
    StackStatus status = new StackStatus(dir, components, out);
    StackDown down = new StackDown(dir, components, say);
    return switch (args[0]) {
      case "up" -> {
        var services = new StackServices(ServiceContainers.planOnThisMachine(), say);
        yield new StackUp(dir, components, env, say, services, status::print, down::run).run();
      }
      case "down" -> {
        down.run();
        yield 0;
      }
      case "status" -> {
        status.print();
        yield 0;
      }
      default -> {
        err.println(USAGE);
        yield 2;
      }
    };
  }
}
