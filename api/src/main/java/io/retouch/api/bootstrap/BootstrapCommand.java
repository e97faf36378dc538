package io.retouch.api.bootstrap;

import io.retouch.api.RetouchApiApplication;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar retouch-api.jar bootstrap --org NAME --dataset NAME [--tracking-id ID]}: sets up
 * a fresh install (organization, dataset, owner key) and prints one JSON line {@code
 * {"organization_id","dataset_id","api_key"}} on stdout. The key is shown this once; only its hash
 * is stored. Logs go to stderr so scripts can read stdout as JSON.
 */
public final class BootstrapCommand {

  public static final String NAME = "bootstrap";
  private static final String USAGE =
      "usage: java -jar retouch-api.jar bootstrap --org NAME --dataset NAME [--tracking-id ID]";

  private BootstrapCommand() {}

  /** Runs the command and returns the process exit code. */
  public static int run(String[] args) {
    PrintStream stdout = System.out;
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    // Everything the application logs goes to stderr; stdout carries only the JSON line.
    System.setOut(System.err);
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(RetouchApiApplication.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .properties(
                "retouch.outbox.enabled=false",
                "retouch.storage.create-bucket=false",
                "spring.main.log-startup-info=false")
            .run()) {
      Installation created =
          context
              .getBean(Installer.class)
              .install(
                  options.get("--org"), options.get("--dataset"), options.get("--tracking-id"));
      Map<String, String> line = new LinkedHashMap<>();
      line.put("organization_id", created.organizationId().toString());
      line.put("dataset_id", created.datasetId().toString());
      line.put("api_key", created.apiKey());
      stdout.println(JsonMapper.builder().build().writeValueAsString(line));
      stdout.flush();
      return 0;
    } catch (RuntimeException e) {
      System.err.println("bootstrap failed: " + e.getMessage());
      return 1;
    } finally {
      System.setOut(stdout);
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String name = args[i];
      if (!name.equals("--org") && !name.equals("--dataset") && !name.equals("--tracking-id")) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (i + 1 >= args.length || args[i + 1].isBlank()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      options.put(name, args[++i]);
    }
    if (!options.containsKey("--org") || !options.containsKey("--dataset")) {
      throw new IllegalArgumentException("--org and --dataset are required");
    }
    return options;
  }
}
