package io.ptinv.examples.cli;

import io.ptinv.image.Images;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs CLI commands in-process with the CLI's error handling, and makes their input image. */
final class CliTesting {
  static final String MODEL = Path.of(System.getProperty("ptinv.golden.dir", "../../shared/golden"), "tiny-sd").toString();

  private CliTesting() {}

  /** Runs {@code ptinv ARGS}; standard error goes to {@code err}, standard output is dropped. */
  static int run(StringWriter err, String... args) {
    return run(new Main(), err, args);
  }

  /** Runs {@code command} (a picocli command object) with {@code args}, configured as {@link Main} does. */
  static int run(Object command, StringWriter err, String... args) {
    CommandLine cli = Main.configure(new CommandLine(command));
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }

  /** Runs {@code ptinv ARGS}: {exit code, standard output, standard error}. */
  static String[] runCapturing(String... args) {
    CommandLine cli = Main.configure(new CommandLine(new Main()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new String[] {Integer.toString(cli.execute(args)), out.toString(), err.toString()};
  }

  /** A 128x128 shapes image (the golden tiny model's size) written to {@code dir/in.png}. */
  static Path input(Path dir) {
    Path in = dir.resolve("in.png");
    Images.write(Images.resize(new io.ptinv.examples.shapes.ShapesDataset(1).sample(0).image(), 128, 128), in);
    return in;
  }
}
