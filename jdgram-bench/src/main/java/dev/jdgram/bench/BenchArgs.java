package dev.jdgram.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The benchmark's command line as picocli declares it: each option typed and checked as it is
 * parsed, so a bad value is a usage error before anything runs. {@link BenchOptions#parse} and the
 * {@code jdgram} command (through {@link Bench#command()}) parse with it.
 */
@Command(
    name = "bench",
    customSynopsis = {
      "jdgram bench [options]",
      "   or: java -cp <classpath> dev.jdgram.bench.Bench [options]"
    },
    sortOptions = false,
    description = {
      "",
      "Loopback UDP benchmark: jdgram (epoll, NIO, io_uring) vs Node.js dgram vs raw Netty epoll, each"
          + " subject in separate sender and receiver processes.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every measurement succeeded",
      "1:some measurement failed",
      "2:a usage error"
    })
final class BenchArgs {
  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = PositiveInt.class,
      description = "runs per figure, the median is reported (default 3)")
  int runs = 3;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      converter = PositiveNumber.class,
      description = "measured seconds per run (default 5; 0.3 with --quick)")
  Double seconds;

  @Option(
      names = "--warmup",
      paramLabel = "S",
      converter = NonNegativeNumber.class,
      description = "seconds of load before each measurement (default 2; 1 with --quick)")
  Double warmup;

  // Each list option has its own label: the completion script names its candidates after it.
  @Option(
      names = "--workloads",
      paramLabel = "WORKLOADS",
      split = ",",
      hideParamSyntax = true,
      converter = WorkloadName.class,
      completionCandidates = Workloads.class,
      description = "comma-separated: ${COMPLETION-CANDIDATES} (default all)")
  List<String> workloads;

  @Option(
      names = "--subjects",
      paramLabel = "SUBJECTS",
      split = ",",
      hideParamSyntax = true,
      converter = SubjectName.class,
      completionCandidates = Subjects.class,
      description = "comma-separated: ${COMPLETION-CANDIDATES} (default all)")
  List<Subject> subjects;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "results.csv, results.md, chart.svg, logs/ (default bench-results)")
  Path out = Path.of("bench-results");

  @Option(
      names = "--cores",
      paramLabel = "N",
      converter = PositiveInt.class,
      description = "multicore: N = 1..this (default: available processors)")
  Integer cores;

  @Option(
      names = "--node",
      paramLabel = "PATH",
      description = "the node executable (default: node on PATH)")
  String node = "node";

  @Option(
      names = "--quick",
      preprocessor = NoValue.class,
      description = "tiny durations and counts (smoke test; numbers meaningless)")
  boolean quick;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "this text")
  boolean help;

  /**
   * Returns a fresh parser of {@code bench}'s options. Its settings are the {@code jdgram}
   * command's, so the grammar is one: {@code --name value} or {@code --name=value}, a valued option
   * takes the next argument whatever it looks like, a flag takes no value.
   */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new BenchArgs());
    line.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    line.setAllowOptionsAsOptionParameters(true);
    line.setUnmatchedOptionsArePositionalParams(true);
    line.setExpandAtFiles(false); // '--node @x' means the file '@x'
    line.setUsageHelpLongOptionsMaxWidth(24); // room for '--workloads=WORKLOADS'
    return line;
  }

  /** The options, with the defaults that depend on {@code --quick} filled in. */
  BenchOptions toOptions() {
    List<Subject> chosen = new ArrayList<>();
    for (Subject s : Subject.values()) {
      // Canonical order, whatever the order given, so columns are stable.
      if (subjects == null || subjects.contains(s)) {
        chosen.add(s);
      }
    }
    double s = seconds != null ? seconds : quick ? 0.3 : 5;
    // Quick runs still warm up for 1 s: raw Netty's receivers need about that long on fresh loop
    // threads (multicore N=2, measured: 0-5k datagrams/s after 0.2 s, 0.4 M/s after 1 s).
    double w = warmup != null ? warmup : quick ? 1 : 2;
    return new BenchOptions(
        runs,
        s,
        w,
        workloads == null ? BenchOptions.ALL_WORKLOADS : List.copyOf(workloads),
        List.copyOf(chosen),
        out,
        cores != null ? cores : Runtime.getRuntime().availableProcessors(),
        quick,
        node);
  }

  /**
   * Describes a parse error in one line, in the {@code jdgram} command's words: {@code unknown
   * option '--x' for 'bench'}, {@code missing value for '--runs'}, {@code invalid value '0' for
   * '--runs': not a positive integer}.
   */
  static String describe(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      String kind = arg.startsWith("-") ? "unknown option '" : "unexpected argument '";
      return kind + arg + "' for '" + u.getCommandLine().getCommandName() + "'";
    }
    if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
      return "missing value for '" + name(m.getMissing().get(0)) + "'";
    }
    if (e instanceof CommandLine.OverwrittenOptionException o) {
      return "option '" + name(o.getOverwritten()) + "' given twice";
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      return "invalid value '"
          + e.getValue()
          + "' for '"
          + name(e.getArgSpec())
          + "': "
          + t.getMessage();
    }
    return e.getMessage();
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  /** A positive {@code int}. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("not a positive integer");
    }
  }

  /** A finite number, 0 or more. */
  static final class NonNegativeNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("not a number of 0 or more");
    }
  }

  /** A finite number above 0. */
  static final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d > 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("not a positive number");
    }
  }

  /** One of {@link BenchOptions#ALL_WORKLOADS}. */
  static final class WorkloadName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String name = value.trim();
      if (!BenchOptions.ALL_WORKLOADS.contains(name)) {
        throw new TypeConversionException(
            "unknown workload '"
                + name
                + "' ("
                + String.join(",", BenchOptions.ALL_WORKLOADS)
                + ")");
      }
      return name;
    }
  }

  /** A {@link Subject} by its {@link Subject#id()}. */
  static final class SubjectName implements ITypeConverter<Subject> {
    @Override
    public Subject convert(String value) {
      try {
        return Subject.of(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The workloads, for the help text and shell completion. */
  static final class Workloads implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return BenchOptions.ALL_WORKLOADS.iterator();
    }
  }

  /** The subjects' names, for the help text and shell completion. */
  static final class Subjects implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(Subject.values()).stream().map(Subject::id).iterator();
    }
  }

  /**
   * Refuses a value attached to a flag ({@code --quick=yes}): picocli would take {@code =true} and
   * {@code =false}, which the {@code jdgram} command's grammar does not.
   */
  static final class NoValue implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(
        Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
      if ("=".equals(info.get("separator"))) {
        throw new ParameterException(
            command.commandLine(), "option '" + name(arg) + "' takes no value");
      }
      return false;
    }
  }
}
