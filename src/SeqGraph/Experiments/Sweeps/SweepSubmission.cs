namespace SeqGraph.Experiments.Sweeps;

/// <summary>One time a sweep's unfinished trials were handed to an executor (sweep.json keeps them all).</summary>
/// <param name="Number">1 for the first submission, then 2, ….</param>
/// <param name="Executor">"local" or "slurm".</param>
/// <param name="At">When (UTC, ISO 8601).</param>
/// <param name="Trials">The trials it ran or submitted.</param>
/// <param name="JobIds">Slurm: the job array's id (one per chunk of at most 1,000 trials).</param>
/// <param name="CollectJobId">Slurm: the collect job that waits for them (afterany).</param>
/// <param name="Script">Slurm: the sbatch script, relative to the sweep folder.</param>
public sealed record SweepSubmission(
    int Number, string Executor, string At, IReadOnlyList<int> Trials,
    IReadOnlyList<string>? JobIds = null, string? CollectJobId = null, string? Script = null);
