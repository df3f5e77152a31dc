package io.ptinv.examples.cli;

import io.ptinv.CancelledException;
import io.ptinv.InvalidInputException;
import io.ptinv.PtinvException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ptinv} command-line program. Exit codes: 0 success, 1 failure, 2 bad arguments or input, 130 cancelled. */
@Command(
    name = "ptinv",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Text-driven editing of real images with Stable Diffusion (Prompt Tuning Inversion).",
    subcommands = {InfoCommand.class, EditCommand.class, InvertCommand.class, SweepCommand.class, GenerateCommand.class,
        TrainShapesCommand.class, ParityCommand.class, BenchCommand.class, EvalCommand.class, ShapesCommand.class, EditTypeCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
      System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
    }
    return configure(new CommandLine(new Main())).execute(args);
  }

  /** Error handling shared by {@link #run} and tests: one clear line, exit 2 for bad arguments. */
  static CommandLine configure(CommandLine cli) {
    cli.setExecutionExceptionHandler(Main::handleError);
    cli.setParameterExceptionHandler((ex, argv) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("ptinv: " + ex.getMessage() + " (see 'ptinv " + c.getCommandSpec().qualifiedName(" ")
          .replaceFirst("^ptinv ?", "") + " --help')");
      return 2;
    });
    return cli;
  }

  private static int handleError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (debug()) {
      e.printStackTrace(cli.getErr());
    }
    if (e instanceof InvalidInputException) {
      cli.getErr().println("ptinv: " + e.getMessage());
      return 2;
    }
    if (e instanceof CancelledException) {
      cli.getErr().println("ptinv: cancelled");
      return 130;
    }
    if (e instanceof PtinvException) {
      cli.getErr().println("ptinv: " + e.getMessage());
      return 1;
    }
    if (findCause(e, IOException.class) != null) {
      cli.getErr().println("ptinv: " + messages(e));
      return 1;
    }
    cli.getErr().println("ptinv: internal error: " + e.getClass().getSimpleName() + ": " + messages(e)
        + (debug() ? "" : " (PTINV_DEBUG=1 shows the stack trace)"));
    return 1;
  }

  /** Whether {@code PTINV_DEBUG} (or {@code -Dptinv.debug}) asks for stack traces. */
  static boolean debug() {
    String env = System.getenv("PTINV_DEBUG");
    return Boolean.getBoolean("ptinv.debug") || (env != null && !env.isEmpty() && !env.equals("0"));
  }

  private static Throwable findCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /** The distinct messages along the cause chain, outermost first, wrappers' copies of their cause left out. */
  private static String messages(Throwable e) {
    StringJoiner out = new StringJoiner(": ");
    String last = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m == null || m.isBlank() || (t.getCause() != null && m.equals(t.getCause().toString())) || last.contains(m)) {
        continue;
      }
      out.add(m);
      last = m;
    }
    return out.length() == 0 ? e.getClass().getSimpleName() : out.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The ptinv version, from the build. */
  public static String version() {
    try (InputStream in = Main.class.getResourceAsStream("/io/ptinv/examples/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ptinv " + version()};
    }
  }
}
