using System.Globalization;
using System.Text;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Reporting;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn sweep</c>: trains every point of an <see cref="RnnSweepConfig"/> in turn and writes
/// results.csv (one row per run, rewritten after each run so a crash keeps what finished), a
/// metrics file per run (<c>metrics_{model}_T{length}_s{seed}.csv</c>), each run's model
/// (<c>models/{model}_T{length}_s{seed}/</c>, see <see cref="RnnTraining.LoadModel"/>), accuracy_vs_length.svg and
/// steps_vs_length.svg (mean ± std over seeds; a point only some seeds converged for is labelled
/// "k/n"), config.json and summary.json. Cancellation stops the current run and ends the sweep
/// with what has finished. A run that diverges is recorded (marked diverged, no model saved,
/// left out of the test figures) and the sweep goes on with the others; the result names the first.
/// </summary>
public sealed class RnnSweep : IExperiment<RnnSweepConfig, RnnSweepProgress, RnnSweepResult>
{
    /// <summary>The subfolder of a sweep's run folder that holds each run's model (<c>models/{model}_T{length}_s{seed}/</c>).</summary>
    public const string ModelsFolder = "models";

    /// <summary>Header of results.csv.</summary>
    public const string ResultsHeader = "model,length,seed,converged,steps_to_converge,steps,train_accuracy,test_accuracy,test_loss,seconds,diverged_step";

    /// <inheritdoc/>
    public static RnnSweepResult Run(RnnSweepConfig config, RunFolder? folder = null, IProgress<RnnSweepProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var writing = folder?.Hold("rnn sweep");
        folder?.WriteConfig(config.ToRecord());
        var points = config.Points().ToList();
        var trials = new List<RnnTrainResult>();
        bool interrupted = false;
        for (int i = 0; i < points.Count; i++)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            var c = points[i];
            int run = i + 1;
            var steps = progress is null ? null : Reporter.Create<Training.StepMetrics>(m => progress.Report(new RnnSweepProgress(run, points.Count, c, m, null)));
            string name = $"{c.Model.Name()}_T{c.Length}_s{c.Seed}";
            var r = RnnTraining.Train(c, folder, $"metrics_{name}.csv", steps, cancel, charts: false,
                modelDir: folder is null ? null : Path.Combine(folder.Path, ModelsFolder, name));
            if (r.Interrupted) { interrupted = true; break; }
            trials.Add(r);
            progress?.Report(new RnnSweepProgress(run, points.Count, c, null, r));
            folder?.WriteText("results.csv", ResultsCsv(trials));
        }
        var result = Summarise(config, trials, interrupted);
        if (trials.Count == 0) folder?.WriteText("results.csv", ResultsCsv(trials));   // stopped during the first run: the header, no rows
        if (folder is not null && trials.Count > 0) SaveCharts(folder, config, trials);
        folder?.WriteSummary(result);
        return result;
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

    /// <summary>results.csv for the runs so far.</summary>
    public static string ResultsCsv(IEnumerable<RnnTrainResult> trials)
    {
        var sb = new StringBuilder(ResultsHeader).Append('\n');
        foreach (var r in trials)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Model.Name()},{r.Length},{r.Seed},{(r.Converged ? 1 : 0)},{r.StepsToConverge?.ToString(CultureInfo.InvariantCulture) ?? ""},{r.Steps},{r.TrainAccuracy:R},{r.TestAccuracy:R},{r.TestLoss:R},{r.Seconds:F3},{r.Diverged?.Step.ToString(CultureInfo.InvariantCulture) ?? ""}\n");
        return sb.ToString();
    }

    private static void SaveCharts(RunFolder folder, RnnSweepConfig c, List<RnnTrainResult> trials)
    {
        string task = c.Train.Task;
        folder.SaveChart("accuracy_vs_length.svg", Chart($"Test accuracy vs length — {task}", "test accuracy", c, trials, r => r.TestAccuracy));
        folder.SaveChart("steps_vs_length.svg", Chart($"Steps to converge vs length — {task}", "steps to converge (mean of converged runs)", c, trials,
            r => r.StepsToConverge is int s ? s : double.NaN, labelPartial: true));
    }

    /// <summary>
    /// Mean ± std per model and length of a per-run value (NaN values left out). With
    /// <paramref name="labelPartial"/> a point that only some runs contribute to is labelled
    /// "k/n", so a mean over one converged run of three is not read as the typical run.
    /// </summary>
    private static SvgChart Chart(string title, string yLabel, RnnSweepConfig c, List<RnnTrainResult> trials, Func<RnnTrainResult, double> pick, bool labelPartial = false)
    {
        var chart = new SvgChart(title, "sequence length T", yLabel) { Markers = true };
        foreach (var m in c.Models)
        {
            var lens = c.Lengths.Where(len => trials.Any(t => t.Model == m && t.Length == len)).ToArray();
            if (lens.Length == 0) continue;
            var values = lens.Select(len => trials.Where(t => t.Model == m && t.Length == len).Select(pick).ToList()).ToArray();
            var stats = values.Select(v => Statistics.MeanStd(v.Where(double.IsFinite))).ToArray();
            string?[]? labels = labelPartial
                ? values.Select(v => v.Count(double.IsFinite) is var k && k > 0 && k < v.Count ? $"{k}/{v.Count}" : null).ToArray()
                : null;
            chart.AddSeries(m.Name(), lens.Select(l => (double)l).ToArray(), stats.Select(s => s.Mean).ToArray(), stats.Select(s => s.Std).ToArray(), labels);
        }
        return chart;
    }
}
