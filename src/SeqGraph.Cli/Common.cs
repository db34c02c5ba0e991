using System.CommandLine;
using Spectre.Console;

namespace SeqGraph.Cli;

/// <summary>Options shared by several commands.</summary>
public static class Common
{
    /// <summary>Print stack traces for errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show full details of errors", Recursive = true };

    /// <summary>Print the final summary as one JSON object on stdout.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the final summary as one JSON object on stdout" };

    /// <summary>
    /// Threads for the engine's kernels; absent means all cores. (No DefaultValueFactory: help would
    /// then print this machine's core count as "[default: 2]" beside "(default: all cores)".)
    /// </summary>
    public static Option<int?> Threads() => new("--threads")
    {
        Description = "Threads for the engine's kernels (default: all cores)",
    };

    /// <summary>
    /// Where tables go: stdout, with bold and colour only on a terminal. Redirected to a file or a
    /// pipe the text is plain (Spectre's own detection looks at TERM, not at the redirection).
    /// </summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Out = new AnsiConsoleOutput(Console.Out),
    });

    /// <summary>The --threads value, all cores when it was not given, validated.</summary>
    public static int CheckThreads(int? threads) => CheckThreads(threads ?? Environment.ProcessorCount);

    /// <summary>Validates --threads (the run applies it to its own thread: see Parallelism.Use).</summary>
    public static int CheckThreads(int threads) => threads switch
    {
        < 1 => throw new UsageException($"--threads must be at least 1 (got {threads})"),
        > MaxThreads => throw new UsageException($"--threads must be at most {MaxThreads} (got {threads}; this machine has {Environment.ProcessorCount} cores)"),
        _ => threads,
    };

    /// <summary>
    /// --max-memory: the most memory a run may need (its estimate is checked before anything is
    /// allocated); absent means ¾ of the memory available.
    /// </summary>
    public static Option<string?> MaxMemory() => new("--max-memory")
    {
        Description = "Refuse to start a run estimated to need more memory than this, e.g. 16G, 512M (K, M, G, T: powers of 1024; default: 3/4 of the memory available)",
    };

    /// <summary>The value of a <see cref="MaxMemory"/> option in bytes, null when it was not given.</summary>
    public static long? ReadMaxMemory(System.CommandLine.ParseResult r, Option<string?> option) =>
        r.GetValue(option) is { } text ? Parse.Bytes("--max-memory", text) : null;

    /// <summary>The most --threads accepted (each thread beyond the cores only spins).</summary>
    public const int MaxThreads = 256;
}
