using SeqGraph.Data;
using SeqGraph.Reporting;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary>Writes the per-seed metrics and the pictures of a <c>graph train</c> run into its <see cref="RunFolder"/>.</summary>
internal static class RunFiles
{
    /// <summary>One CSV row per epoch: <c>metrics_seed&lt;k&gt;.csv</c>.</summary>
    public static void WriteMetrics(RunFolder run, ulong seed, IReadOnlyList<EpochMetrics> epochs)
    {
        using var w = run.OpenMetrics($"metrics_seed{seed}.csv", "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_accuracy", "seconds");
        foreach (var e in epochs) w.Append(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy, e.TestAccuracy, e.Seconds);
    }

    /// <summary>accuracy.svg and loss.svg (mean ± std over seeds per epoch) and embedding.svg.</summary>
    public static void WritePlots(RunFolder run, string model, CitationGraph data, IReadOnlyList<NodeTrainingResult> runs)
    {
        string name = model.ToUpperInvariant();
        string seeds = runs.Count == 1 ? $"seed {runs[0].Seed}" : $"mean ± std over {runs.Count} seeds";
        var accuracy = new SvgChart($"{name} on {data.Name}: accuracy ({seeds})", "epoch", "accuracy");
        accuracy.AddSeries("train", Band(runs, e => e.TrainAccuracy));
        accuracy.AddSeries("validation", Band(runs, e => e.ValAccuracy));
        accuracy.AddSeries("test", Band(runs, e => e.TestAccuracy));
        run.SaveChart("accuracy.svg", accuracy);
        var loss = new SvgChart($"{name} on {data.Name}: cross-entropy ({seeds})", "epoch", "loss");
        loss.AddSeries("train", Band(runs, e => e.TrainLoss));
        loss.AddSeries("validation", Band(runs, e => e.ValLoss));
        run.SaveChart("loss.svg", loss);
        var first = runs[0];
        File.WriteAllText(run.PathOf("embedding.svg"), GraphPlots.Embedding(
            $"{name} hidden layer, seed {first.Seed}, epoch {first.BestEpoch}: 2 principal components, colour = class", data, first));
    }

    private static void AddSeries(this SvgChart chart, string name, (double[] X, double[] Y, double[]? Std) s) => chart.AddSeries(name, s.X, s.Y, s.Std);

    /// <summary>Per epoch, the mean and standard deviation over the runs that reached it (runs with patience may stop early).</summary>
    private static (double[] X, double[] Y, double[]? Std) Band(IReadOnlyList<NodeTrainingResult> runs, Func<EpochMetrics, float> value)
    {
        int epochs = runs.Max(r => r.Epochs.Count);
        var x = new double[epochs];
        var y = new double[epochs];
        var std = new double[epochs];
        for (int ep = 0; ep < epochs; ep++)
        {
            var v = runs.Where(r => r.Epochs.Count > ep).Select(r => (double)value(r.Epochs[ep])).ToArray();
            double m = v.Average();
            x[ep] = ep + 1;
            y[ep] = m;
            std[ep] = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(t => (t - m) * (t - m)) / (v.Length - 1));
        }
        return (x, y, runs.Count > 1 ? std : null);
    }
}
