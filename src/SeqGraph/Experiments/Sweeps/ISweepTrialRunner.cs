namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// Runs a trial's command line: the words of a command (<c>rnn train</c>) and its options, as the
/// user would type them. A sweep is over command lines, so that a trial is exactly the run the
/// command makes and can run anywhere the command can (this process, a Slurm node); the command
/// line's owner (the CLI) implements this, and the sweep never parses options itself.
/// </summary>
public interface ISweepTrialRunner
{
    /// <summary>The commands that can be swept (<c>rnn train</c>, <c>text train</c>, …).</summary>
    IReadOnlyList<string> Commands { get; }

    /// <summary>
    /// Checks a trial's command line as the command would (an unknown option, a bad value) without
    /// running it or creating anything; throws <see cref="ConfigException"/> with the command's own line.
    /// </summary>
    void Check(string command, IReadOnlyList<string> args);

    /// <summary>
    /// Runs the trial into <paramref name="folder"/> (made and held by the sweep: the run's own
    /// holds nest in it) with <paramref name="threads"/> threads for the engine; never throws for the
    /// run's own failures (bad input, an internal error, divergence, a stop): they are the outcome.
    /// </summary>
    SweepTrialOutcome Run(string command, IReadOnlyList<string> args, IO.RunFolder folder, int threads,
        IProgress<SweepTrialProgress>? progress, CancellationToken cancel);
}
