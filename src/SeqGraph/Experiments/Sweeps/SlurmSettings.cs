namespace SeqGraph.Experiments.Sweeps;

/// <summary>What a Slurm submission asks for: the <c>#SBATCH</c> lines of the job array's script.</summary>
/// <param name="Partition">--partition (null: the cluster's default).</param>
/// <param name="Time">--time per array task, e.g. <c>00:30:00</c> (null: the partition's default).</param>
/// <param name="CpusPerTask">--cpus-per-task; the trial's engine uses this many threads.</param>
/// <param name="Mem">--mem per array task, e.g. <c>2G</c> (null: the cluster's default).</param>
/// <param name="MaxRunning">At most this many array tasks at once (<c>--array=…%N</c>; null: no limit).</param>
/// <param name="Extra">More <c>#SBATCH</c> options, each one line as sbatch takes it (<c>--qos=short</c>, <c>--account=lab</c>).</param>
/// <param name="Launcher">How an array task starts seqgraph: the program and its first arguments (e.g. the installed tool, or <c>dotnet</c> and the dll).</param>
public sealed record SlurmSettings(
    string? Partition = null, string? Time = null, int CpusPerTask = 1, string? Mem = null, int? MaxRunning = null,
    IReadOnlyList<string>? Extra = null, IReadOnlyList<string>? Launcher = null);
