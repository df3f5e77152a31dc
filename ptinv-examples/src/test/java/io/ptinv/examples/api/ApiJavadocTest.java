package io.ptinv.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md promises that every public type and member of the API packages has Javadoc. This runs the
 * javadoc tool with {@code -Xdoclint:missing} over the API packages the document lists and fails on any "no comment"
 * (a public type, constructor, method, field or enum constant without a comment).
 */
class ApiJavadocTest {
  private static final Path HOME = Path.of(System.getProperty("ptinv.home", "..")).toAbsolutePath().normalize();
  /** The backticked package names in the "API packages" column of docs/architecture.md's table. */
  private static final Pattern API_PACKAGE = Pattern.compile("`(io\\.ptinv(?:\\.[a-z]+)*)`");

  static List<String> apiPackages() throws IOException {
    List<String> packages = new ArrayList<>();
    for (String line : Files.readAllLines(HOME.resolve("docs/architecture.md"))) {
      String[] cells = line.split("\\|");
      // | module (`name`) | API packages | internal |, where "none: ..." marks a module without API packages
      if (cells.length > 3 && cells[1].contains("(`io.ptinv") && !cells[2].strip().startsWith("none")) {
        Matcher m = API_PACKAGE.matcher(cells[2]);
        while (m.find()) {
          packages.add(m.group(1));
        }
      }
    }
    return packages;
  }

  @Test
  void everyPublicTypeAndMemberOfTheApiPackagesHasAComment(@TempDir Path out) throws IOException {
    List<String> packages = apiPackages();
    assertThat(packages).as("API packages read from docs/architecture.md")
        .contains("io.ptinv", "io.ptinv.torch", "io.ptinv.torch.editing", "io.ptinv.eval");

    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    List<String> missing = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, Locale.ROOT, null)) {
      String sourcePath = String.join(java.io.File.pathSeparator,
          HOME.resolve("ptinv-core/src/main/java").toString(),
          HOME.resolve("ptinv-torch/src/main/java").toString(),
          HOME.resolve("ptinv-eval/src/main/java").toString());
      List<String> options = new ArrayList<>(List.of("-quiet", "-Xdoclint:missing", "-Xmaxwarns", "10000",
          "-d", out.toString(), "--source-path", sourcePath, "-cp", System.getProperty("java.class.path")));
      options.addAll(packages);
      DocumentationTool.DocumentationTask task = javadoc.getTask(new StringWriter(), files, d -> {
        String where = d.getSource() == null ? "" : ((JavaFileObject) d.getSource()).getName() + ":" + d.getLineNumber();
        String message = d.getMessage(Locale.ROOT);
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(where + " " + message);
        } else if (message.contains("no comment")) {
          missing.add(where.replace(HOME + "/", ""));
        }
      }, null, options, null);
      task.call();
    }
    assertThat(errors).as("javadoc errors").isEmpty();
    assertThat(missing).as("public API without a comment").isEmpty();
  }
}
