using System.Diagnostics;
using System.Globalization;
using System.Text;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Reporting;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// <c>text train</c>: a character-level LSTM trained on a corpus. The loop runs
/// <see cref="TextTrainer.TrainStep"/> within the --steps and/or --minutes budget, writes a metrics
/// row every <c>LogEvery</c> steps (loss and accuracy averaged over those steps), validates every
/// <c>EvalEvery</c> steps and at the end, adds greedy samples of 30 and 120 characters at 1/3, 2/3
/// and 3/3 of the run (and every <c>SampleEvery</c> steps) and temperature samples (0.5, 1, 2) at
/// the end, and checkpoints every <c>CheckpointEvery</c> steps, at the end, and when cancelled
/// (after the current step). Whenever a validation improves on the best so far, that model is also
/// saved as a checkpoint in <c>best/</c> (<see cref="BestFolderName"/>). Files: config.json,
/// metrics.csv, summary.json, samples.md, loss.svg, accuracy.svg, model.safetensors, model.json,
/// best/model.safetensors, best/model.json. A NaN or an infinity (loss, gradient, the state about
/// to be saved, a validation or sample) ends the run marked <see cref="TextTrainResult.Diverged"/>:
/// the step is not applied, no further checkpoint is saved (the last one is the last good state),
/// and metrics, charts and the summary are written as after an interruption.
/// </summary>
public sealed class TextTraining : IExperiment<TextTrainConfig, TextTrainProgress, TextTrainResult>
{
    /// <summary>The subfolder of a run that holds the best-by-validation checkpoint.</summary>
    public const string BestFolderName = "best";

    /// <summary>Columns of metrics.csv.</summary>
    public static readonly string[] MetricColumns = { "step", "lr", "train_loss", "train_accuracy", "val_loss", "val_bpc", "val_accuracy", "seconds" };

    /// <summary>config.json of a text run: every setting, then what the corpus turned out to be.</summary>
    public sealed record RunConfig : TextTrainConfig
    {
        /// <summary>The settings of <paramref name="settings"/>.</summary>
        public RunConfig(TextTrainConfig settings) : base(settings) { }

        /// <summary>For reading a config.json back (<see cref="RunJson.Read{T}"/>).</summary>
        [System.Text.Json.Serialization.JsonConstructor]
        public RunConfig() : base(new TextTrainConfig()) { }

        /// <summary>The checkpoint this run continued, if any.</summary>
        public string? ResumedFrom { get; init; }
        /// <summary>Distinct characters of the corpus.</summary>
        public int VocabularySize { get; init; }
        /// <summary>Trainable parameters.</summary>
        public long Parameters { get; init; }
        /// <summary>Characters of the training part.</summary>
        public int TrainCharacters { get; init; }
        /// <summary>Characters of the validation blocks.</summary>
        public int ValidationCharacters { get; init; }
        /// <summary>Validation blocks (1 with the tail split).</summary>
        public int ValidationBlocks { get; init; }
        /// <summary>Characters per validation block as used (smaller than <see cref="TextTrainConfig.ValidationBlock"/> for a short text).</summary>
        public int ValidationBlockCharacters { get; init; }
        /// <summary>Characters of a Project Gutenberg header left out.</summary>
        public long GutenbergHeaderDropped { get; init; }
        /// <summary>Characters of a Project Gutenberg licence left out.</summary>
        public long GutenbergLicenceDropped { get; init; }
        /// <summary>On a resumed run, the settings changed from the checkpoint's, as "option: old → new".</summary>
        public string[] ChangedOnResume { get; init; } = Array.Empty<string>();
    }

    /// <summary>A fresh run of <paramref name="config"/>.</summary>
    public static TextTrainResult Run(TextTrainConfig config, RunFolder? folder = null, IProgress<TextTrainProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var corpus = TextCorpus.Load(config.Corpus, config.CorpusOptions());
        config.CheckMemory(corpus.VocabularySize, corpus.Length);
        return Train(new TextTrainer(config, corpus), folder, progress, cancel);
    }

    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/> bit for bit. <paramref name="adjust"/>
    /// may change the budget, the reporting intervals, the corpus path and the threads; anything
    /// else that differs from the checkpoint is a <see cref="ConfigException"/>.
    /// </summary>
    public static TextTrainResult Resume(string checkpoint, Func<TextTrainConfig, TextTrainConfig>? adjust, RunFolder? folder = null,
        IProgress<TextTrainProgress>? progress = null, CancellationToken cancel = default)
    {
        using var writing = folder?.Hold("text train");
        var saved = TextCheckpoint.LoadModel(checkpoint).Config;
        var wanted = adjust is null ? saved : adjust(saved);
        wanted.Validate();
        if (wanted.Corpus == Export.ModelImport.CorpusPlaceholder)
            throw new ConfigException("--corpus", $"--corpus: the checkpoint in {checkpoint} was imported, not trained on a corpus here; give --corpus FILE (a text with exactly the model's characters)");
        var corpus = TextCorpus.Load(wanted.Corpus, wanted.CorpusOptions());
        wanted.CheckMemory(corpus.VocabularySize, corpus.Length);
        var trainer = TextCheckpoint.Resume(checkpoint, corpus, _ => wanted);
        if (wanted.Steps is { } total && total <= trainer.Step)
            throw new ConfigException("--steps", $"--steps: the checkpoint in {checkpoint} is already at step {trainer.Step}; give more (--steps counts from the start of the run)");
        // resumed into another folder: the best model so far goes with it — the checkpoint's best/, or
        // the checkpoint itself when it is the best (resuming from a run's best/)
        string from = Path.Combine(checkpoint, BestFolderName);
        if (!Checkpoint.Exists(from)) from = trainer.Best is { } b && b.Step == trainer.Step ? checkpoint : "";
        if (folder is not null && from.Length > 0 && Path.GetFullPath(folder.Path) != Path.GetFullPath(checkpoint))
        {
            var best = Checkpoint.Load(from);   // before Start: a replaced --out may hold the checkpoint itself (--resume runs/x/best --out runs/x --force)
            folder.Start();
            Checkpoint.Save(Path.Combine(folder.Path, BestFolderName), best.Tensors, best.Sidecar);
        }
        return Train(trainer, folder, progress, cancel, checkpoint, Changes(saved, trainer.Config));
    }

    /// <summary>The settings of <paramref name="now"/> that differ from <paramref name="before"/>, as "--option: old → new".</summary>
    public static string[] Changes(TextTrainConfig before, TextTrainConfig now)
    {
        var a = (System.Text.Json.Nodes.JsonObject)RunJson.ToNode(before);
        var b = (System.Text.Json.Nodes.JsonObject)RunJson.ToNode(now);
        return b.Where(kv => kv.Value?.ToJsonString() != a[kv.Key]?.ToJsonString())
            .Select(kv => $"--{kv.Key.Replace('_', '-')}: {a[kv.Key]?.ToJsonString() ?? "null"} → {kv.Value?.ToJsonString() ?? "null"}").ToArray();
    }

    /// <summary>Runs <paramref name="trainer"/> (fresh or resumed) to the end of its budget, writing into <paramref name="folder"/>.</summary>
    public static TextTrainResult Train(TextTrainer trainer, RunFolder? folder, IProgress<TextTrainProgress>? progress = null, CancellationToken cancel = default,
        string? resumedFrom = null, string[]? changedOnResume = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var c = trainer.Config;
        c.Validate();
        using var writing = folder?.Hold("text train");
        using var threads = Parallelism.Use(c.Threads);
        folder?.WriteConfig(new RunConfig(c)
        {
            ResumedFrom = resumedFrom, VocabularySize = trainer.Corpus.VocabularySize, Parameters = trainer.Model.ParameterCount,
            TrainCharacters = trainer.Corpus.TrainLength, ValidationCharacters = trainer.Corpus.ValidationLength,
            ValidationBlocks = trainer.Corpus.ValidationBlocks.Count, ValidationBlockCharacters = trainer.Corpus.BlockSize,
            GutenbergHeaderDropped = trainer.Corpus.HeaderDropped, GutenbergLicenceDropped = trainer.Corpus.LicenceDropped,
            ChangedOnResume = changedOnResume ?? Array.Empty<string>(),
        });
        if (TextCorpusNote.For(trainer.Corpus) is { } note) progress?.Report(new TextTrainProgress(null, 0, 0, null, c.Steps, note));
        string? bestDir = folder is null ? null : Path.Combine(folder.Path, BestFolderName);
        using var metrics = folder?.OpenMetrics(RunFolder.MetricsFileName, MetricColumns, KeptRows(folder, trainer.Step, c));
        var samples = new StringBuilder(trainer.Step > 0 && folder is not null && folder.Contains(SamplesFileName)
            ? SamplesFile.UpTo(File.ReadAllText(folder.PathOf(SamplesFileName)), trainer.Step) : "# Samples\n");

        var wall = Stopwatch.StartNew();
        double stepSeconds = 0;
        int stepsHere = 0, startStep = trainer.Step;
        double Fraction() => Math.Max(c.Steps is { } s ? (double)trainer.Step / s : 0, c.Minutes is { } m ? wall.Elapsed.TotalMinutes / m : 0);
        int nextMark = 1;
        while (nextMark < 3 && Fraction() >= nextMark / 3.0) nextMark++; // marks already passed before a resume
        TextEvalResult? lastEval = null;
        int? lastEvalStep = null;
        bool interrupted = false;
        Divergence? diverged = null;   // a NaN or ∞ stops the run: the last good checkpoint stays, nothing non-finite is saved

        while (Fraction() < 1)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            try
            {
                long t0 = Stopwatch.GetTimestamp();
                var r = trainer.TrainStep();
                stepSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
                stepsHere++;
                double frac = Fraction();
                bool last = frac >= 1;
                TextEvalResult? eval = null;
                if ((c.EvalEvery > 0 && r.Step % c.EvalEvery == 0) || last)
                {
                    eval = lastEval = trainer.Validate();
                    lastEvalStep = trainer.Step;
                    SaveIfBest(trainer, eval, bestDir, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
                }
                progress?.Report(new TextTrainProgress(r, Math.Min(1, frac), stepsHere * (double)c.Seq * c.Batch / stepSeconds, eval, c.Steps));
                if (r.Step % c.LogEvery == 0 || eval is not null || last)
                {
                    var (loss, acc) = trainer.RecentMean(r.Step - (r.Step - 1) / c.LogEvery * c.LogEvery); // steps since the last multiple of LogEvery
                    metrics?.AppendRow(r.Step, double.Parse(r.LearningRate.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), loss, acc, eval?.Loss, eval?.BitsPerCharacter, eval?.Accuracy,
                        Math.Round(trainer.PriorSeconds + wall.Elapsed.TotalSeconds, 3));
                }
                bool mark = false;
                while (nextMark <= 3 && frac >= nextMark / 3.0 - 1e-12) { mark = true; nextMark++; }
                if (mark || (c.SampleEvery > 0 && r.Step % c.SampleEvery == 0))
                    AddSamples(samples, trainer, r.Step, Decoding.Greedy, folder);
                if (folder is not null && c.CheckpointEvery > 0 && r.Step % c.CheckpointEvery == 0 && !last)
                    TextCheckpoint.Save(trainer, folder.Path, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is TrainingDivergedException or NonFiniteOutputException)
            {
                diverged = Diverge(trainer, e, startStep);
                break;
            }
        }

        try
        {
            if (!interrupted && diverged is null && lastEval is null)
            {
                lastEval = trainer.Validate(); // e.g. resumed with nothing left to do
                lastEvalStep = trainer.Step;
                SaveIfBest(trainer, lastEval, bestDir, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
            }
            if (!interrupted && diverged is null)
                foreach (float temp in new[] { 0.5f, 1f, 2f })
                    AddSamples(samples, trainer, trainer.Step, new Decoding(temp), folder);
            if (folder is not null && diverged is null) TextCheckpoint.Save(trainer, folder.Path, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is TrainingDivergedException or NonFiniteOutputException)
        {
            diverged = Diverge(trainer, e, startStep);
        }
        double totalSeconds = trainer.PriorSeconds + wall.Elapsed.TotalSeconds;
        var (trainLoss, trainAcc) = trainer.RecentMean(TextTrainer.RecentWindow);
        var result = new TextTrainResult
        {
            Steps = trainer.Step,
            StepsThisRun = trainer.Step - startStep,
            Seconds = Math.Round(totalSeconds, 3),
            CharsPerSecond = stepsHere == 0 ? 0 : Math.Round(stepsHere * (double)c.Seq * c.Batch / stepSeconds, 1),
            TrainLoss = Num(trainLoss),
            TrainAccuracy = Num(trainAcc),
            TrainWindow = Math.Min(TextTrainer.RecentWindow, trainer.Step),
            ValLoss = Num(lastEval?.Loss),
            ValBpc = Num(lastEval?.BitsPerCharacter),
            ValAccuracy = Num(lastEval?.Accuracy),
            ValCharacters = lastEval?.Characters ?? 0,
            ValStep = lastEvalStep,
            BestValBpc = trainer.Best is { } best ? Num(best.Loss / Math.Log(2)) : null,
            BestStep = trainer.Best?.Step,
            Parameters = trainer.Model.ParameterCount,
            Interrupted = interrupted,
            Diverged = diverged,
        };
        metrics?.Dispose();
        if (folder is not null)
        {
            folder.WriteSummary(result);
            SaveCharts(folder);
        }
        return result;
    }

    // Where and why the run diverged: a step's loss or gradient (that step not applied), or the state
    // or outputs after the last step (a save refused, a validation or sample not finite).
    private static Divergence Diverge(TextTrainer trainer, Exception e, int startStep)
    {
        var d = e as TrainingDivergedException ?? new TrainingDivergedException("outputs", e.Message);
        bool inStep = d.What is "loss" or "gradient";
        string cause = inStep && trainer.Step == startStep
            ? startStep == 0 ? "at the first step, before any update: the starting weights give it" : "at the first step after resuming: the checkpoint's weights give it"
            : Divergence.LearningRateCause(trainer.Config.Lr, trainer.Config.Clip == 0) + (startStep > 0 ? ", or the optimizer state resumed from the checkpoint is damaged" : "");
        return Divergence.At("step", inStep ? trainer.Step + 1 : trainer.Step, d, cause);
    }

    /// <summary>File name of the samples.</summary>
    public const string SamplesFileName = "samples.md";

    // A validation better than every earlier one (lower loss) becomes the best: remembered in the
    // trainer (so the next checkpoints carry it) and saved as a checkpoint in best/.
    private static void SaveIfBest(TextTrainer trainer, TextEvalResult eval, string? bestDir, double seconds)
    {
        if (!double.IsFinite(eval.Loss) || (trainer.Best is { } b && !(eval.Loss < b.Loss))) return;
        trainer.Best = (eval.Loss, trainer.Step);
        if (bestDir is not null) TextCheckpoint.Save(trainer, bestDir, seconds);
    }

    private static double? Num(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 6) : null;

    private static void AddSamples(StringBuilder md, TextTrainer trainer, int step, Decoding decoding, RunFolder? folder)
    {
        string how = decoding.Temperature == 0 ? "greedy" : $"temperature {decoding.Temperature.ToString(CultureInfo.InvariantCulture)}";
        md.Append(CultureInfo.InvariantCulture, $"\n## Step {step}, {how}\n");
        ulong salt = (ulong)step * 1000 + (ulong)(decoding.Temperature * 10);
        foreach (int length in new[] { 30, 120 })
            foreach (var s in trainer.Samples(2, length, decoding, salt + (ulong)length * 7919))
                md.Append(CultureInfo.InvariantCulture, $"\n{length} characters:\n\n```text\n{s}\n```\n");
        folder?.WriteText(SamplesFileName, md.ToString());
    }

    // On resume, keeps the rows up to the checkpoint's step except a row written only because the
    // earlier process ended there, so the file equals an uninterrupted run's.
    private static IEnumerable<string>? KeptRows(RunFolder? folder, int keepUpToStep, TextTrainConfig c)
    {
        if (folder is null || keepUpToStep == 0 || !folder.Contains(RunFolder.MetricsFileName)) return null;
        var kept = new List<string>();
        foreach (var line in File.ReadLines(folder.PathOf(RunFolder.MetricsFileName)).Skip(1))
        {
            int comma = line.IndexOf(',');
            if (comma > 0 && int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s <= keepUpToStep
                && (s % c.LogEvery == 0 || (c.EvalEvery > 0 && s % c.EvalEvery == 0))) kept.Add(line);
        }
        return kept;
    }

    /// <summary>
    /// loss.svg and accuracy.svg drawn from metrics.csv by column name (so a resumed run's charts
    /// cover the whole run): the training curve and the validation points, the loss in bits per
    /// character so both share a scale.
    /// </summary>
    private static void SaveCharts(RunFolder folder)
    {
        var table = MetricsTable.Read(folder.PathOf(RunFolder.MetricsFileName));
        void Save(string file, string title, string yLabel, string train, double trainScale, string val)
        {
            var chart = new SvgChart(title, "step", yLabel);
            var (tx, ty) = table.Series("step", train, trainScale);
            if (tx.Length > 0) chart.AddSeries("train", tx, ty);
            var (vx, vy) = table.Series("step", val);
            if (vx.Length > 0) chart.AddSeries("validation", vx, vy);
            if (chart.SeriesCount > 0) folder.SaveChart(file, chart);
        }
        Save("loss.svg", "Loss", "bits per character", "train_loss", 1 / Math.Log(2), "val_bpc");
        Save("accuracy.svg", "Next-character accuracy", "accuracy", "train_accuracy", 1, "val_accuracy");
    }
}
