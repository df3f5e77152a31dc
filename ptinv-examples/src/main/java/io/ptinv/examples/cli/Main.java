package io.ptinv.examples.cli;

import io.ptinv.InvalidInputException;
import io.ptinv.PtinvException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ptinv} command-line program. Exit codes: 0 success, 1 failure, 2 bad arguments or input, 130 cancelled. */
@Command(
    name = "ptinv",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Text-driven editing of real images with Stable Diffusion (Prompt Tuning Inversion).",
    subcommands = {InfoCommand.class, EditCommand.class, InvertCommand.class, SweepCommand.class, GenerateCommand.class,
        TrainShapesCommand.class, ParityCommand.class, BenchCommand.class,
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
    if (e instanceof InvalidInputException) {
      cli.getErr().println("ptinv: " + e.getMessage());
      return 2;
    }
    if (e instanceof io.ptinv.CancelledException) {
      cli.getErr().println("ptinv: cancelled");
      return 130;
    }
    if (e instanceof PtinvException) {
      cli.getErr().println("ptinv: " + e.getMessage());
      return 1;
    }
    throw new IllegalStateException(e);
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
