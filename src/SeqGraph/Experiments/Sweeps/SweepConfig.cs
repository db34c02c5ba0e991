using System.Text.Json.Serialization;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// <c>seqgraph sweep</c>: a command (<see cref="Command"/>, e.g. <c>rnn train</c>) run once per point
/// of <see cref="Grid"/>, every trial with <see cref="Args"/> plus its own values, each into its own
/// run folder under the sweep folder, by <see cref="Executor"/>. The trials' command lines are run by
/// <see cref="Runner"/> (the command line's owner: see <see cref="ISweepTrialRunner"/>).
/// </summary>
public sealed record SweepConfig : IExperimentConfig
{
    /// <summary>The options a sweep sets itself, never a trial's fixed option or an axis.</summary>
    public static readonly IReadOnlyList<string> Reserved = ["--out", "--force", "--json", "--resume", "--threads"];

    /// <summary>The swept command's words.</summary>
    public string Command { get; init; } = "rnn train";

    /// <summary>The options every trial shares, as typed.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The axes.</summary>
    public IReadOnlyList<SweepAxis> Grid { get; init; } = [];

    /// <summary>Where the trials run.</summary>
    public SweepExecutor Executor { get; init; } = SweepExecutor.Local;

    /// <summary>Local: trials at a time, the cores split between them.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Local: the engine's threads per trial (null: the cores divided by <see cref="Jobs"/>). Results do not depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>Slurm: what the job array asks for.</summary>
    public SlurmSettings Slurm { get; init; } = new();

    /// <summary>Runs the trials' command lines (not part of the record).</summary>
    [JsonIgnore]
    public ISweepTrialRunner? Runner { get; init; }

    /// <summary>The sweep's identity in sweep.json.</summary>
    public SweepSpec Spec() => SweepSpec.Create(Command, Args, Grid);

    /// <inheritdoc/>
    public void Validate()
    {
        var runner = Runner ?? throw new InvalidOperationException("a sweep needs a trial runner");
        if (!runner.Commands.Contains(Command))
            throw new ConfigException("--command", $"seqgraph sweep: '{Command}' cannot be swept (choose {string.Join(", ", runner.Commands)})");
        ArgumentNullException.ThrowIfNull(Args);
        SweepGrid.Check(Grid);
        foreach (var axis in Grid)
        {
            if (Reserved.Contains(axis.Option))
                throw new ConfigException("--grid", $"--grid: {axis.Name} is set by the sweep itself{(axis.Option == "--threads" ? " (give --threads to the sweep)" : " (each trial has its own folder)")}");
            if (Args.Contains(axis.Option))
                throw new ConfigException("--grid", $"--grid: {axis.Option} is given both as an option and in --grid");
        }
        foreach (string a in Args)
            if (Reserved.Contains(a)) throw new ConfigException(a, $"{a}: a sweep sets {a} for each trial itself");
        if (Jobs is < 1 or > 256) throw new ConfigException("--jobs", $"--jobs must be in 1..256 (got {Jobs})");
        if (Threads is < 1 or > 256) throw new ConfigException("--threads", $"--threads must be in 1..256 (got {Threads})");
        if (Executor == SweepExecutor.Slurm)
        {
            if (Slurm.CpusPerTask is < 1 or > 256) throw new ConfigException("--cpus-per-task", $"--cpus-per-task must be in 1..256 (got {Slurm.CpusPerTask})");
            if (Slurm.MaxRunning is < 1) throw new ConfigException("--max-running", $"--max-running must be at least 1 (got {Slurm.MaxRunning})");
            var lines = new[] { ("--partition", Slurm.Partition), ("--time", Slurm.Time), ("--mem", Slurm.Mem) }
                .Concat((Slurm.Extra ?? []).Select(e => ("--sbatch", (string?)e)));
            foreach (var (option, line) in lines)
                if (line is not null && (line.Length == 0 || line.Any(char.IsControl)))
                    throw new ConfigException(option, $"{option}: '{InputError.OneLine(line)}' is empty or spans lines");
        }
        // every trial's command line, before the first runs: a value that one trial cannot take fails now, not hours in
        foreach (var trial in SweepSpec.Layout(Grid))
        {
            try { runner.Check(Command, Spec().TrialArgs(trial)); }
            catch (ConfigException e) { throw new ConfigException(e.Option, $"trial {trial.Number} ({trial.Label}): {e.Message}"); }
        }
    }
}
