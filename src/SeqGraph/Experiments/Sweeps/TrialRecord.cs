namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// trial.json in a trial's folder: how its last attempt ended and where it ran. Written by the
/// process that ran the trial, after the run; the run's own summary.json is what says it finished.
/// </summary>
/// <param name="Trial">The trial's number.</param>
/// <param name="State">Done, diverged, interrupted or failed.</param>
/// <param name="ExitCode">The exit code the command would have ended with (0, 1, 2, 3, 130).</param>
/// <param name="Message">The error line or the run's one-line outcome.</param>
/// <param name="Host">The machine it ran on.</param>
/// <param name="Started">UTC, ISO 8601.</param>
/// <param name="Ended">UTC, ISO 8601.</param>
/// <param name="Seconds">Wall-clock seconds of the attempt.</param>
/// <param name="Threads">The engine's threads.</param>
/// <param name="SlurmJobId">Slurm's SLURM_JOB_ID of the array task, when it ran under Slurm.</param>
/// <param name="SlurmArrayJobId">SLURM_ARRAY_JOB_ID (the array's id).</param>
public sealed record TrialRecord(
    int Trial = 0, TrialState State = TrialState.Failed, int ExitCode = 0, string Message = "",
    string Host = "", string Started = "", string Ended = "", double Seconds = 0, int Threads = 0,
    string? SlurmJobId = null, string? SlurmArrayJobId = null);
