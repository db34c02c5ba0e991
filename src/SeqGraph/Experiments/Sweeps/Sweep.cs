using System.Runtime.ExceptionServices;
using SeqGraph.IO;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// <c>seqgraph sweep</c>: lays out a sweep's trials in its folder (sweep.json), then runs those not
/// finished — here, <see cref="SweepConfig.Jobs"/> at a time, then collects (results.csv, charts,
/// summary.json: <see cref="SweepCollection"/>); or hands them to Slurm as a job array with a collect
/// job after it (<see cref="SlurmSubmitter"/>). A folder that holds the same sweep (command, options,
/// grid) is continued: finished trials are never run again. Cancellation stops the running trials
/// after their current step (each writes what it has, interrupted) and starts no other.
/// </summary>
public sealed class Sweep : IExperiment<SweepConfig, SweepProgress, SweepResult>
{
    /// <inheritdoc/>
    public static SweepResult Run(SweepConfig config, RunFolder? folder = null, IProgress<SweepProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (folder is null) throw new ConfigException("--out", "--out: a sweep needs a folder (its trials are run folders inside it)");
        using var writing = folder.Hold($"sweep {config.Command}");
        folder.Start();   // the lock, and with --force the earlier sweep removed, before sweep.json is read
        var spec = config.Spec();
        if (SweepFolder.IsSweep(folder.Path))
        {
            var old = SweepFolder.ReadSpec(folder.Path);
            if (!old.SameSweep(spec))
                throw new ConfigException("--out", $"--out: {folder.Path} holds another sweep ({old.Command} over {SweepGrid.Describe(old.Grid)}); choose another folder, or pass --force to replace it");
            spec = spec with { Submissions = old.Submissions };
        }
        folder.WriteConfig(config);
        var todo = SweepFolder.StatusAll(folder.Path, spec).Where(s => !s.Finished && s.State != TrialState.Running).Select(s => s.Trial).ToList();
        var submission = new SweepSubmission(spec.Submissions.Count + 1, config.Executor == SweepExecutor.Slurm ? "slurm" : "local",
            SweepTrialRun.Iso(DateTime.UtcNow), todo.Select(t => t.Number).ToList());
        if (config.Executor == SweepExecutor.Slurm)
        {
            // sweep.json first: an array task reads it as soon as it starts
            SweepFolder.WriteSpec(folder, spec, SweepFolder.StatusAll(folder.Path, spec));
            if (todo.Count > 0) submission = SlurmSubmitter.Submit(folder, spec, todo, config.Slurm, submission);
            spec = spec with { Submissions = [.. spec.Submissions, submission] };
            return SweepCollection.Collect(folder, spec, submission, interrupted: false, writeResults: todo.Count == 0);
        }
        spec = spec with { Submissions = [.. spec.Submissions, submission] };
        SweepFolder.WriteSpec(folder, spec, SweepFolder.StatusAll(folder.Path, spec));
        RunLocal(folder.Path, spec, todo, config, progress, cancel);
        return SweepCollection.Collect(folder, spec, submission, interrupted: cancel.IsCancellationRequested);
    }

    /// <summary>Runs <paramref name="todo"/> here, <see cref="SweepConfig.Jobs"/> at a time on threads of their own, the cores split between them.</summary>
    private static void RunLocal(string dir, SweepSpec spec, List<SweepTrial> todo, SweepConfig c, IProgress<SweepProgress>? progress, CancellationToken cancel)
    {
        int jobs = Math.Clamp(c.Jobs, 1, Math.Max(1, todo.Count));
        int threads = c.Threads ?? Math.Max(1, Environment.ProcessorCount / jobs);
        int next = -1, finished = 0;
        var gate = new Lock();
        void Report(SweepProgress p)
        {
            if (progress is null) return;
            lock (gate) progress.Report(p);
        }
        ExceptionDispatchInfo? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        void Worker()
        {
            try
            {
                while (!stop.Token.IsCancellationRequested)
                {
                    int i = Interlocked.Increment(ref next);
                    if (i >= todo.Count) return;
                    var trial = todo[i];
                    Report(new SweepProgress(Volatile.Read(ref finished), todo.Count, trial, null, null));
                    var steps = progress is null ? null
                        : Reporter.Create<SweepTrialProgress>(p => Report(new SweepProgress(Volatile.Read(ref finished), todo.Count, trial, p, null)));
                    var after = SweepTrialRun.Run(dir, spec, trial, c.Runner!, threads, steps, stop.Token);
                    int f = Interlocked.Increment(ref finished);
                    Report(new SweepProgress(f, todo.Count, trial, null, new SweepTrialOutcome(after.State, after.Record?.ExitCode ?? 0, after.Note)));
                }
            }
            catch (Exception e)
            {
                // a bug in one worker stops the others after their step; the first is rethrown
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                stop.Cancel();
            }
        }
        if (jobs == 1) Worker();
        else
        {
            var workers = Enumerable.Range(0, jobs).Select(k => new Thread(Worker) { Name = $"sweep job {k + 1}", IsBackground = true }).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
        }
        failure?.Throw();
    }
}
