using System.Diagnostics;
using System.Globalization;
using SeqGraph.IO;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// Runs one trial wherever it is (this process's local executor, or <c>sweep run-trial</c> in a
/// Slurm array task), the same way: a trial that finished (done or diverged) is never run again, one
/// that another process runs is left to it, and any other (pending, failed, interrupted) runs into
/// its folder, replacing an earlier attempt's files. The trial folder's writer lock is held from
/// before that replacement until trial.json is written, so two submissions never run one trial at once.
/// </summary>
public static class SweepTrialRun
{
    /// <summary>Runs <paramref name="trial"/> of the sweep in <paramref name="dir"/> unless it finished or runs elsewhere; returns its state after.</summary>
    public static TrialStatus Run(string dir, SweepSpec spec, SweepTrial trial, ISweepTrialRunner runner, int threads,
        IProgress<SweepTrialProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(runner);
        var before = SweepFolder.Status(dir, trial);
        if (before.Finished || before.State == TrialState.Running) return before;
        if (cancel.IsCancellationRequested) return before;
        string path = Path.Combine(dir, trial.Folder);
        if (File.Exists(path)) return before;   // a file where the trial's folder goes: failed, says so
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        RunFolder folder;
        try { folder = RunFolder.Create(path, replace: true); }
        catch (IOException e)
        {
            return new TrialStatus(trial, TrialState.Failed, InputError.OneLine(e.Message), null, null);
        }
        SweepTrialOutcome outcome;
        using (folder.Hold($"{spec.Command} (sweep trial {trial.Number})"))
        {
            // the lock first: another process may have taken the trial since the status was read
            try { folder.Start(); }
            catch (ConfigException) { return SweepFolder.Status(dir, trial); }
            outcome = runner.Run(spec.Command, spec.TrialArgs(trial), folder, threads, progress, cancel);
            var record = new TrialRecord(trial.Number, outcome.State, outcome.ExitCode, outcome.Message, Environment.MachineName,
                Iso(started), Iso(DateTime.UtcNow), Math.Round(clock.Elapsed.TotalSeconds, 3), threads,
                Environment.GetEnvironmentVariable("SLURM_JOB_ID"), Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID"));
            folder.WriteJson(SweepFolder.TrialRecordFileName, record);
        }
        return SweepFolder.Status(dir, trial);
    }

    /// <summary>UTC time as sweep files write it.</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
