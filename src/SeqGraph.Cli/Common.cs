using System.CommandLine;

namespace SeqGraph.Cli;

/// <summary>Options shared by several commands.</summary>
public static class Common
{
    /// <summary>Print stack traces for errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show full details of errors", Recursive = true };

    /// <summary>Print the final summary as one JSON object on stdout.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the final summary as one JSON object on stdout" };

    /// <summary>Threads for the engine's kernels.</summary>
    public static Option<int> Threads() => new("--threads")
    {
        Description = "Threads for the engine's kernels (default: all cores)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>Applies and validates --threads.</summary>
    public static void ApplyThreads(int threads)
    {
        if (threads < 1) throw new UsageException($"--threads must be at least 1 (got {threads})");
        SeqGraph.Tensors.Parallelism.Threads = threads;
    }
}
