package dev.jdgram.cli;

import dev.jdgram.bench.Bench;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code jdgram} command line as one picocli grammar: every command, {@code bench} included,
 * with its options typed and documented where they are declared, so that the help text and the
 * shell completion script are generated from the same declarations that parse.
 *
 * <p>The grammar, as the hand-written parser before it had it: after the command's name, options
 * ({@code --name}) and positional arguments may come in any order; a valued option takes the next
 * argument whatever it looks like ({@code --ttl 5}) or the text after {@code =} ({@code --ttl=5});
 * a flag takes no value; an option may be given once; a lone {@code --} ends the options; any other
 * argument, {@code -v} or {@code -1} included, is positional. Parsing touches no network.
 */
final class Grammar {
  /**
   * picocli's end-of-options delimiter, set to what no argument can be (argv cannot hold a NUL), so
   * that a lone {@code --} reaches {@link Operands}, which ends the options itself: picocli's own
   * would refuse {@code --} as an option's value ({@code --ttl --}), and would not let us tell an
   * unknown option from a positional argument that follows {@code --}.
   */
  private static final String NO_DELIMITER = "\0";

  /** The commands whose options the top-level help lists; the others point to their own help. */
  private static final List<String> EXPANDED = List.of("listen", "send", "echo", "multicast");

  /** The commands that take positional arguments. */
  private static final List<String> WITH_OPERANDS = List.of("listen", "send", "echo", "multicast");

  private Grammar() {}

  /** A command's parsed arguments, which turn into what to run once checked. */
  interface Parsed {
    /**
     * Checks what the declarations could not (how many positional arguments, their syntax) and
     * returns the command.
     */
    Command toCommand() throws UsageException;
  }

  /** A command that takes positional arguments; {@link Operands} collects them. */
  interface HasOperands {
    /** The positional arguments, in order. */
    List<String> operands();
  }

  /** The top level: {@code jdgram <command>}. */
  @CommandLine.Command(
      name = "jdgram",
      customSynopsis = "jdgram <command> [arguments]",
      description = {"", "UDP from the command line, on jdgram (Node.js node:dgram for Java)."},
      commandListHeading = "%nCommands:%n",
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:success (a server stopped by Ctrl-C too)",
        "1:a network error",
        "2:a usage error"
      },
      footerHeading = "%n",
      footer = {
        "Port 0 binds a free port chosen by the system. An option takes its value as"
            + " '--ttl 5' or '--ttl=5', anywhere after its command; '--' ends the options, so"
            + " that a message may start with '--'. 'jdgram <command> --help' describes one"
            + " command; 'jdgram completion' prints a bash completion script."
      })
  static final class Jdgram {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        hidden = true)
    boolean help;
  }

  /** The {@code --help} of every command. */
  static final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "print this command's help")
    boolean help;
  }

  /**
   * Every command by name, in the order the help lists them; each entry builds the command's
   * declarations, {@code bench} mounted from jdgram-bench.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("listen", ListenCommand.Args::new);
    commands.put("send", SendCommand.Args::new);
    commands.put("echo", EchoCommand.Args::new);
    commands.put("multicast", MulticastCommand.Args::new);
    commands.put("bench", Bench::command);
    commands.put("soak", SoakCommand.Args::new);
    commands.put("completion", CompletionCommand.Args::new);
    commands.put("help", HelpCommand.Args::new);
    return Collections.unmodifiableMap(commands);
  }

  /** Returns a fresh parser of the whole command line. */
  static CommandLine commandLine() {
    return commandLine(COMMANDS.keySet());
  }

  /**
   * Returns a fresh parser of the command line that knows only the commands {@code names}. picocli
   * builds every mounted command's model by reflection, and the CLI's one-shot commands paid that
   * for all of them (bench's most of all) on every run; a command line that names its command needs
   * only that one.
   */
  static CommandLine commandLine(Collection<String> names) {
    CommandLine top = new CommandLine(new Jdgram());
    for (String name : names) {
      top.addSubcommand(
          name, COMMANDS.get(name).get()); // a @Command object, or bench's CommandLine
    }
    for (CommandLine command : top.getSubcommands().values()) {
      if (command.getCommand() instanceof Parsed) {
        command
            .getCommandSpec()
            .usageMessage()
            .sortOptions(false)
            .descriptionHeading("%n")
            .parameterListHeading("%nArguments:%n")
            .optionListHeading("%nOptions:%n");
      }
    }
    // Each setter reaches the subcommands added above.
    top.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    top.setExpandAtFiles(false); // 'send @home 9' sends "@home"
    top.setAllowOptionsAsOptionParameters(true);
    top.setUnmatchedOptionsArePositionalParams(true);
    top.setEndOfOptionsDelimiter(NO_DELIMITER);
    top.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Grammar::commandList);
    return top;
  }

  /**
   * Parses the command line; see {@link Command#fromArgs}.
   *
   * @throws UsageException with the one-line problem
   */
  static Command parse(String... args) throws UsageException {
    if (args.length == 0) {
      return new HelpCommand();
    }
    Parsed operandsOnly = operandsOnly(args);
    return operandsOnly != null ? operandsOnly.toCommand() : parseWithPicocli(args);
  }

  /**
   * A command line that is a command's name followed only by positional arguments, none of them
   * starting with {@code -}, as {@code jdgram send hi 41234 127.0.0.1}, parsed without picocli;
   * null for any other. picocli would put each such argument into the command's operands in order,
   * as this does, and the command checks them as it would. The one-shot commands gain about 80 ms:
   * no picocli class is loaded, and picocli's classes, compiled for Java 5, are ones that
   * class-data sharing cannot archive.
   */
  private static Parsed operandsOnly(String... args) {
    if (!WITH_OPERANDS.contains(args[0])) {
      return null;
    }
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("-")) {
        return null;
      }
    }
    Object declared = COMMANDS.get(args[0]).get();
    if (!(declared instanceof HasOperands command && declared instanceof Parsed parsed)) {
      return null;
    }
    command.operands().addAll(Arrays.asList(args).subList(1, args.length));
    return parsed;
  }

  /** Parses the command line with the picocli grammar; see {@link #parse}. */
  static Command parseWithPicocli(String... args) throws UsageException {
    ParseResult result;
    try {
      // Only the named command; the whole grammar for anything else (--help, an unknown name).
      CommandLine line =
          COMMANDS.containsKey(args[0]) ? commandLine(List.of(args[0])) : commandLine();
      result = line.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(describe(e));
    }
    if (result.isUsageHelpRequested() || !result.hasSubcommand()) {
      return new HelpCommand();
    }
    ParseResult command = result.subcommand();
    CommandLine line = command.commandSpec().commandLine();
    if (command.isUsageHelpRequested()) {
      return new HelpCommand(line.getUsageMessage().stripTrailing());
    }
    if (line.getCommand() instanceof Parsed parsed) {
      return parsed.toCommand();
    }
    // bench, mounted from jdgram-bench: its options are checked; it runs with them as given.
    return new BenchCommand(Arrays.asList(args).subList(1, args.length));
  }

  /** The top-level help text, without a final line break. */
  static String usage() {
    return commandLine().getUsageMessage().stripTrailing();
  }

  /** The bash completion script for {@code jdgram}. */
  static String completionScript() {
    return AutoComplete.bash("jdgram", commandLine());
  }

  /** Describes a parse error in one line, without the {@code jdgram: } prefix. */
  static String describe(ParameterException e) {
    String where = e.getCommandLine().getCommandName();
    String problem = problem(e);
    return where.equals("bench") ? problem + " (see 'jdgram bench --help')" : problem;
  }

  private static String problem(ParameterException e) {
    CommandLine where = e.getCommandLine();
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (where.getParent() == null) {
        return "unknown command '" + arg + "'";
      }
      String kind = arg.startsWith("-") ? "unknown option '" : "unexpected argument '";
      return kind + arg + "' for '" + where.getCommandName() + "'";
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
    return e.getMessage(); // one of ours, from Operands or NoValue
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  /**
   * The positional arguments' preprocessor: an argument that starts with {@code --} is an unknown
   * option, and a lone {@code --} makes every argument after it positional.
   */
  static final class Operands implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(
        Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
      String next = args.peek();
      if (next.equals("--")) {
        args.pop();
        List<String> operands = ((HasOperands) command.userObject()).operands();
        while (!args.isEmpty()) {
          operands.add(args.pop());
        }
        return true;
      }
      if (next.startsWith("--")) {
        throw new ParameterException(
            command.commandLine(), "unknown option '" + next + "' for '" + command.name() + "'");
      }
      return false;
    }
  }

  /**
   * A flag's preprocessor: refuses an attached value ({@code --broadcast=yes}), where picocli would
   * take {@code =true} and {@code =false}.
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

  /**
   * A 32-bit decimal integer, possibly negative, for an option whose range the library checks (as
   * Node's {@code setTTL} does, with {@code EINVAL}): only a value that the library's {@code int}
   * parameter cannot hold is a usage error here.
   */
  static final class Int32 implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      if (!text.matches("-?[0-9]+")) {
        throw new TypeConversionException("not a number");
      }
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("not a 32-bit integer");
      }
    }
  }

  /**
   * The top-level help's list of commands: each command with its positional arguments and what it
   * does, then, for the commands in {@link #EXPANDED}, its options.
   */
  private static String commandList(Help help) {
    StringBuilder text = new StringBuilder();
    int width = help.commandSpec().usageMessage().width();
    for (Map.Entry<String, CommandLine> entry : help.commandSpec().subcommands().entrySet()) {
      String name = entry.getKey();
      CommandSpec command = entry.getValue().getCommandSpec();
      List<String> usage = new ArrayList<>(List.of(name));
      command.positionalParameters().forEach(p -> usage.add(p.paramLabel()));
      if (command.positionalParameters().isEmpty() && !EXPANDED.contains(name)) {
        if (command.options().stream().anyMatch(o -> !o.usageHelp() && !o.hidden())) {
          usage.add("[options]");
        }
      }
      String description = String.join(" ", command.usageMessage().description()).trim();
      if (!EXPANDED.contains(name) && !name.equals("help") && !name.equals("completion")) {
        description += " 'jdgram " + name + " --help' lists the options.";
      }
      text.append(table(help, 2, 32, width, String.join(" ", usage), description));
      if (EXPANDED.contains(name)) {
        for (OptionSpec option : command.options()) {
          if (option.usageHelp() || option.hidden()) {
            continue;
          }
          String label =
              option.arity().max() > 0
                  ? option.longestName() + " " + option.paramLabel()
                  : option.longestName();
          text.append(
              table(help, 4, 34, width, label, String.join(" ", option.description()).trim()));
        }
      }
    }
    return text.toString();
  }

  /** One row of two columns: {@code left} indented, {@code right} wrapped at {@code width}. */
  private static String table(
      Help help, int indent, int split, int width, String left, String right) {
    TextTable table =
        TextTable.forColumns(
            help.colorScheme(),
            new Column(split, indent, Overflow.SPAN),
            new Column(width - split, 0, Overflow.WRAP));
    table.addRowValues(left, right);
    return table.toString();
  }
}
