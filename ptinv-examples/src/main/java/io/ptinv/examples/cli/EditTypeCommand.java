package io.ptinv.examples.cli;

import io.ptinv.EditTask;
import io.ptinv.EditTaskClassifier;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ptinv edit-type}: TODInv's task type of an edit, from its prompts (EditTaskClassifier's heuristic). */
@Command(name = "edit-type", mixinStandardHelpOptions = true,
    description = "Print the task type of an edit (APPEARANCE, STRUCTURE or GLOBAL) and, on the next line, the word "
        + "changes that decided it.")
final class EditTypeCommand implements Callable<Integer> {
  @Option(names = "--source-prompt", required = true, description = "The prompt describing the input image.")
  String sourcePrompt;

  @Option(names = "--prompt", required = true, description = "The target prompt.")
  String prompt;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    EditTaskClassifier.Classification c = EditTask.classify(sourcePrompt, prompt);
    PrintWriter out = spec.commandLine().getOut();
    out.println(c.task());
    out.println(c.explanation());
    out.flush();
    return 0;
  }
}
