using SeqGraph.Nn.Recurrent;


namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// The rnn sweep as a library call, in memory: trains every point of an <see cref="RnnSweepConfig"/>
/// in turn (model, then length, then seed) and returns each run's result and the mean ± std per
/// model and length. It writes nothing: a sweep on disk is <c>seqgraph sweep rnn train --grid …</c>
/// (or its shorthand <c>rnn sweep</c>), <see cref="Sweeps.Sweep"/>, whose trials are ordinary
/// <c>rnn train</c> run folders — one sweep folder layout. The points are the same trainings, so the
/// results are the same. Cancellation stops the current run and returns what finished; a run that
/// diverges is recorded and the sweep goes on with the others; the result names the first.
/// </summary>
public static class RnnSweep
{
    /// <summary>Trains every point of <paramref name="config"/>; nothing is written.</summary>
    public static RnnSweepResult Run(RnnSweepConfig config, IProgress<RnnSweepProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var points = config.Points().ToList();
        var trials = new List<RnnTrainResult>();
        bool interrupted = false;
        for (int i = 0; i < points.Count; i++)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            var c = points[i];
            int run = i + 1;
            var steps = progress is null ? null : Reporter.Create<Training.StepMetrics>(m => progress.Report(new RnnSweepProgress(run, points.Count, c, m, null)));
            var r = RnnTraining.Train(c, null, "metrics.csv", steps, cancel, charts: false, modelDir: null);
            if (r.Interrupted) { interrupted = true; break; }
            trials.Add(r);
            progress?.Report(new RnnSweepProgress(run, points.Count, c, null, r));
        }
        return Summarise(config, trials, interrupted);
    }

    private static RnnSweepResult Summarise(RnnSweepConfig c, List<RnnTrainResult> trials, bool interrupted) => new()
    {
        Task = c.Train.Task,
        Runs = trials.Count,
        Results = (from m in c.Models
                   from len in c.Lengths
                   let runs = trials.Where(t => t.Model == m && t.Length == len).ToList()
                   where runs.Count > 0
                   select RnnSweepPoint.From(m, len, runs)).ToList(),
        Trials = trials,
        Interrupted = interrupted,
        Diverged = trials.FirstOrDefault(t => t.Diverged is not null) is { Diverged: { } d } t
            ? d with { Message = $"{t.Model.Name()} T={t.Length} seed {t.Seed}: {d.Message}" } : null,
    };
}
