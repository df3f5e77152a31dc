package io.ptinv.examples.cli;

import io.ptinv.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parsing helpers whose errors name the flag. */
final class Args {
  private Args() {}

  /** The constant named {@code value}, case-insensitive, with '-' for '_' (as listed in the error). */
  static <E extends Enum<E>> E enumValue(Class<E> type, String flag, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
        return e;
      }
    }
    throw new InvalidInputException(flag, "expected one of " + Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + " but got " + value);
  }

  /** {@code "0,0.5,1"} as numbers in [0, 1]. */
  static List<Double> etas(String flag, String csv) {
    List<Double> out = new ArrayList<>();
    for (String part : csv.split(",")) {
      try {
        double eta = Double.parseDouble(part.trim());
        InvalidInputException.check(eta >= 0 && eta <= 1, flag, "values in [0, 1]", part.trim());
        out.add(eta);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(flag, "expected comma-separated numbers but got '" + part + "'");
      }
    }
    return out;
  }
}
