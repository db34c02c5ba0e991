using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Reporting;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn train</c>: builds the model a <see cref="RnnTrainConfig"/> describes, trains it with
/// <see cref="SequenceTrainer"/>, and writes config.json, metrics.csv (step, loss, accuracy,
/// grad_norm, seconds), summary.json, loss.svg and accuracy.svg. Progress: every logged step.
/// </summary>
public sealed class RnnTraining : IExperiment<RnnTrainConfig, StepMetrics, RnnTrainResult>
{
    /// <summary>Columns of metrics.csv.</summary>
    public static readonly string[] MetricColumns = { "step", "loss", "accuracy", "grad_norm", "seconds" };

    /// <inheritdoc/>
    public static RnnTrainResult Run(RnnTrainConfig config, RunFolder? folder = null, IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        folder?.WriteConfig(config);
        var result = Train(config, folder, MetricsFileName, progress, cancel);
        folder?.WriteSummary(result);
        return result;
    }

    /// <summary>Default name of the metrics file.</summary>
    public const string MetricsFileName = RunFolder.MetricsFileName;

    /// <summary>
    /// The training itself, for <c>rnn train</c> and each point of a sweep: metrics rows into
    /// <paramref name="metricsFile"/> of <paramref name="folder"/>, and with <paramref name="charts"/>
    /// the loss and accuracy plots drawn from those rows.
    /// </summary>
    internal static RnnTrainResult Train(RnnTrainConfig config, RunFolder? folder, string metricsFile, IProgress<StepMetrics>? progress,
        CancellationToken cancel, bool charts = true)
    {
        using var threads = Parallelism.Use(config.Threads);
        var task = config.CreateTask();
        var trainer = new SequenceTrainer(config.CreateModel(task), task, config);
        using var metrics = folder?.OpenMetrics(metricsFile, MetricColumns);
        var log = Reporter.Create<StepMetrics>(m =>
        {
            metrics?.Append(m.Step, m.Loss, m.Accuracy, m.GradNorm, m.Seconds);
            progress?.Report(m);
        });
        var result = RnnTrainResult.From(config, trainer.Train(log, cancel));
        metrics?.Dispose();
        if (folder is not null && charts) SaveCharts(folder, metricsFile, config);
        return result;
    }

    /// <summary>loss.svg and accuracy.svg from the run's metrics, read by column name.</summary>
    private static void SaveCharts(RunFolder folder, string metricsFile, RnnTrainConfig c)
    {
        var table = MetricsTable.Read(folder.PathOf(metricsFile));
        string name = c.Model.Name();
        var (sx, loss) = table.Series("step", "loss");
        folder.SaveChart("loss.svg", new SvgChart($"Training loss — {c.Label}", "step", "cross-entropy") { LogY = true }.AddSeries(name, sx, loss));
        var (ax, acc) = table.Series("step", "accuracy");
        folder.SaveChart("accuracy.svg", new SvgChart($"Training accuracy — {c.Label}", "step", "batch accuracy").AddSeries(name, ax, acc));
    }
}
