using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Reporting;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn train</c>: builds the model a <see cref="RnnTrainConfig"/> describes, trains it with
/// <see cref="SequenceTrainer"/>, and writes config.json, metrics.csv (step, loss, accuracy,
/// grad_norm, seconds), summary.json, loss.svg, accuracy.svg and the trained model
/// (<see cref="Checkpoint"/>: model.safetensors under PyTorch-style names such as
/// <c>rnn.weight_ih_l0</c> and <c>head.weight</c>, and model.json with the config;
/// <see cref="LoadModel"/> reads it back). Progress: every logged step.
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
        using var writing = folder?.Hold("rnn train");
        folder?.WriteConfig(config);
        var result = Train(config, folder, MetricsFileName, progress, cancel, modelDir: folder?.Path);
        folder?.WriteSummary(result);
        return result;
    }

    /// <summary>Default name of the metrics file.</summary>
    public const string MetricsFileName = RunFolder.MetricsFileName;

    /// <summary>The <c>"kind"</c> of the model.json this experiment writes.</summary>
    public const string ModelKind = "rnn-classifier";

    /// <summary>
    /// The training itself, for <c>rnn train</c> and each point of a sweep: metrics rows into
    /// <paramref name="metricsFile"/> of <paramref name="folder"/>, with <paramref name="charts"/>
    /// the loss and accuracy plots drawn from those rows, and with <paramref name="modelDir"/> the
    /// trained model saved there (also when the run was interrupted: the model trained so far).
    /// </summary>
    internal static RnnTrainResult Train(RnnTrainConfig config, RunFolder? folder, string metricsFile, IProgress<StepMetrics>? progress,
        CancellationToken cancel, bool charts = true, string? modelDir = null)
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
        // a diverged model is not saved: its weights gave a NaN or an infinity (there is no earlier checkpoint to keep)
        if (modelDir is not null && result.Diverged is null) SaveModel(modelDir, config, trainer.Model, result);
        if (folder is not null && charts) SaveCharts(folder, metricsFile, config);
        return result;
    }

    /// <summary>Writes the model and the config that rebuilds it into <paramref name="dir"/> (model.safetensors, model.json).</summary>
    private static void SaveModel(string dir, RnnTrainConfig config, SequenceModel model, RnnTrainResult result) =>
        Checkpoint.Save(dir, Checkpoint.ModuleTensors(model), new JsonObject
        {
            ["kind"] = ModelKind,
            ["config"] = RunJson.ToNode(config),
            ["steps"] = result.Steps,
            ["interrupted"] = result.Interrupted,
        });

    /// <summary>
    /// Loads a model saved by <c>rnn train</c> (its run folder) or by a sweep point (its folder under
    /// <c>models/</c>): the config it was trained with and the model with the trained weights.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds no such model, or its files are damaged or do not match.</exception>
    public static (RnnTrainConfig Config, SequenceClassifier Model) LoadModel(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string sidecar = Path.Combine(dir, Checkpoint.SidecarFileName);
        if (Directory.Exists(dir) && !File.Exists(sidecar))
            throw new FileNotFoundException($"{dir}: no {Checkpoint.SidecarFileName}, so it holds no saved rnn model (rnn train saves one in its run folder, rnn sweep one per run under models/)", sidecar);
        RnnTrainConfig config = null!;
        string tensorsPath = Path.Combine(dir, Checkpoint.TensorsFileName);
        // the sizes are checked against the tensor file's header before the model (or any tensor) is allocated
        var data = Checkpoint.Load(dir, header => { config = ReadConfig(header); tensorsPath = header.TensorsPath; });
        var model = config.CreateModel(config.CreateTask());
        try { Checkpoint.LoadModule(model, data.Tensors); }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidDataException) { throw new InvalidDataException($"{tensorsPath}: {DisplayText.OneLine(e.Message)}", e); }
        return (config, model);
    }

    /// <summary>The config of a checked pair, its model's size bounded and matched to the header.</summary>
    private static RnnTrainConfig ReadConfig(CheckpointHeader header)
    {
        string sidecar = header.SidecarPath;
        string kind = header.Sidecar["kind"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : "unknown";
        if (kind != ModelKind) throw new InvalidDataException($"{sidecar}: a {DisplayText.Quote(kind)} model, not one saved by rnn train or rnn sweep ('{ModelKind}')");
        var config = RunJson.FromNode<RnnTrainConfig>(header.Sidecar["config"], $"{sidecar}: config", requireAll: true);
        try { config.Validate(); }
        catch (ConfigException e) { throw new InvalidDataException($"{sidecar}: config: {e.Message}", e); }
        header.RequireSize("config.hidden", config.Hidden);
        header.RequireSize("config.layers", config.Layers, CheckpointHeader.MaxDepth);
        if (config.Embed != 0) header.RequireSize("config.embed", config.Embed);
        var task = config.CreateTask();
        header.RequireParameters(SequenceClassifier.ClosedFormParameters(config.Model.Cell(), task.VocabularySize, task.NumClasses, config.Hidden, config.Embed, config.Layers, config.Model.Bidirectional()),
            $"a {config.Model.Name()} classifier for T={config.Length} with hidden {config.Hidden:N0}, {config.Layers} layer{(config.Layers == 1 ? "" : "s")}", CheckpointHeader.MaxParameters);
        return config;
    }

    /// <summary>
    /// Accuracy and mean loss of <paramref name="model"/> on the test examples of <paramref name="config"/>
    /// (the same fresh examples a run with this config is tested on; <paramref name="samples"/> of them,
    /// default the config's <see cref="SequenceTrainOptions.TestSamples"/>).
    /// </summary>
    public static (double Accuracy, double Loss) Evaluate(RnnTrainConfig config, SequenceModel model, int? samples = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        using var threads = Parallelism.Use(config.Threads);
        return new SequenceTrainer(model, config.CreateTask(), config).Evaluate(samples ?? config.TestSamples);
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
