using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>How a run ended and its final figures (the content of summary.json).</summary>
public sealed record TextRunResult(JsonObject Summary, bool Interrupted);

/// <summary>
/// A whole training run into an output folder: the loop over <see cref="TextTrainer.TrainStep"/>
/// within the --steps and/or --minutes budget, a metrics row every <c>LogEvery</c> steps (loss and
/// accuracy averaged over those steps), validation every <c>EvalEvery</c> steps and at the end,
/// greedy samples of 30 and 120 characters at 1/3, 2/3 and 3/3 of the run (and every
/// <c>SampleEvery</c> steps), temperature samples (0.5, 1, 2) at the end, checkpoints every
/// <c>CheckpointEvery</c> steps, at the end, and when cancellation is requested (after the
/// current step). Files: config.json, metrics.csv, summary.json, samples.md, model.safetensors,
/// model.json (and the charts written by the caller from metrics.csv).
/// </summary>
public static class TextTrainingRun
{
    /// <summary>Columns of metrics.csv.</summary>
    public static readonly string[] MetricColumns = { "step", "lr", "train_loss", "train_accuracy", "val_loss", "val_bpc", "val_accuracy", "seconds" };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs <paramref name="trainer"/> (fresh or resumed) and writes into <paramref name="outDir"/>.</summary>
    /// <param name="trainer">The run's state.</param>
    /// <param name="outDir">Output folder (created).</param>
    /// <param name="onStep">Called after every step with the fraction of the budget used (for a progress bar).</param>
    /// <param name="onEval">Called with each validation result.</param>
    /// <param name="cancel">Stops the run after the current step, with a checkpoint.</param>
    public static TextRunResult Run(TextTrainer trainer, string outDir, Action<TextStepResult, double, double>? onStep = null,
        Action<int, TextEvalResult>? onEval = null, CancellationToken cancel = default)
    {
        var c = trainer.Config;
        if (c.Steps is null && c.Minutes is null) throw new ArgumentException("give a budget: --steps and/or --minutes");
        Directory.CreateDirectory(outDir);
        var config = c.ToJson();
        config["vocabulary_size"] = trainer.Corpus.VocabularySize;
        config["parameters"] = trainer.Model.ParameterCount;
        config["train_characters"] = trainer.Corpus.TrainLength;
        config["validation_characters"] = trainer.Corpus.ValidationLength;
        AtomicFile.WriteAllText(Path.Combine(outDir, "config.json"), config.ToJsonString(Indented) + "\n");

        using var metrics = OpenMetrics(Path.Combine(outDir, "metrics.csv"), trainer.Step, c);
        string samplesPath = Path.Combine(outDir, "samples.md");
        var samples = new StringBuilder(trainer.Step > 0 && File.Exists(samplesPath) ? File.ReadAllText(samplesPath) : "# Samples\n");

        var wall = Stopwatch.StartNew();
        double stepSeconds = 0;
        int stepsHere = 0;
        int startStep = trainer.Step;
        double Fraction() => Math.Max(c.Steps is { } s ? (double)trainer.Step / s : 0, c.Minutes is { } m ? wall.Elapsed.TotalMinutes / m : 0);
        int nextMark = 1;
        while (nextMark < 3 && Fraction() >= nextMark / 3.0) nextMark++; // marks already passed before a resume
        TextEvalResult? lastEval = null;
        bool interrupted = false;

        while (Fraction() < 1)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            long t0 = Stopwatch.GetTimestamp();
            var r = trainer.TrainStep();
            stepSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            stepsHere++;
            double frac = Fraction();
            bool last = frac >= 1;
            onStep?.Invoke(r, Math.Min(1, frac), stepsHere * (double)c.Seq * c.Batch / stepSeconds);

            TextEvalResult? eval = null;
            if ((c.EvalEvery > 0 && r.Step % c.EvalEvery == 0) || last)
            {
                eval = lastEval = trainer.Validate();
                onEval?.Invoke(r.Step, eval);
            }
            if (r.Step % c.LogEvery == 0 || eval is not null || last)
            {
                var (loss, acc) = trainer.RecentMean(r.Step - (r.Step - 1) / c.LogEvery * c.LogEvery); // steps since the last multiple of LogEvery
                WriteRow(metrics, r.Step, r.LearningRate, loss, acc, eval, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
            }
            bool mark = false;
            while (nextMark <= 3 && frac >= nextMark / 3.0 - 1e-12) { mark = true; nextMark++; }
            if (mark || (c.SampleEvery > 0 && r.Step % c.SampleEvery == 0))
                AddSamples(samples, trainer, r.Step, Decoding.Greedy, samplesPath);
            if (c.CheckpointEvery > 0 && r.Step % c.CheckpointEvery == 0 && !last)
                TextCheckpoint.Save(trainer, outDir, trainer.PriorSeconds + wall.Elapsed.TotalSeconds);
        }

        if (!interrupted && lastEval is null) lastEval = trainer.Validate(); // e.g. resumed with nothing left to do
        if (!interrupted)
            foreach (float temp in new[] { 0.5f, 1f, 2f })
                AddSamples(samples, trainer, trainer.Step, new Decoding(temp), samplesPath);
        double totalSeconds = trainer.PriorSeconds + wall.Elapsed.TotalSeconds;
        TextCheckpoint.Save(trainer, outDir, totalSeconds);
        var (trainLoss, trainAcc) = trainer.RecentMean(TextTrainer.RecentWindow);
        var summary = new JsonObject
        {
            ["steps"] = trainer.Step,
            ["steps_this_run"] = trainer.Step - startStep,
            ["seconds"] = Math.Round(totalSeconds, 3),
            ["chars_per_second"] = stepsHere == 0 ? 0 : Math.Round(stepsHere * (double)c.Seq * c.Batch / stepSeconds, 1),
            ["train_loss"] = Num(trainLoss),
            ["train_accuracy"] = Num(trainAcc),
            ["train_window"] = Math.Min(TextTrainer.RecentWindow, trainer.Step),
            ["val_loss"] = Num(lastEval?.Loss),
            ["val_bpc"] = Num(lastEval?.BitsPerCharacter),
            ["val_accuracy"] = Num(lastEval?.Accuracy),
            ["val_characters"] = lastEval?.Characters ?? 0,
            ["parameters"] = trainer.Model.ParameterCount,
            ["interrupted"] = interrupted,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "summary.json"), summary.ToJsonString(Indented) + "\n");
        return new TextRunResult(summary, interrupted);
    }

    private static JsonNode? Num(double? v) => v is { } x && double.IsFinite(x) ? JsonValue.Create(Math.Round(x, 6)) : null;

    private static void AddSamples(StringBuilder md, TextTrainer trainer, int step, Decoding decoding, string path)
    {
        string how = decoding.Temperature == 0 ? "greedy" : $"temperature {decoding.Temperature.ToString(CultureInfo.InvariantCulture)}";
        md.Append(CultureInfo.InvariantCulture, $"\n## Step {step}, {how}\n");
        ulong salt = (ulong)step * 1000 + (ulong)(decoding.Temperature * 10);
        foreach (int length in new[] { 30, 120 })
            foreach (var s in trainer.Samples(2, length, decoding, salt + (ulong)length * 7919))
                md.Append(CultureInfo.InvariantCulture, $"\n{length} characters:\n\n```text\n{s}\n```\n");
        AtomicFile.WriteAllText(path, md.ToString());
    }

    // On resume, keeps the rows up to the checkpoint's step except a row written only because the
    // earlier process ended there, so the file equals an uninterrupted run's.
    private static StreamWriter OpenMetrics(string path, int keepUpToStep, TextTrainConfig c)
    {
        var kept = new List<string>();
        if (keepUpToStep > 0 && File.Exists(path))
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                int comma = line.IndexOf(',');
                if (comma > 0 && int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s <= keepUpToStep
                    && (s % c.LogEvery == 0 || (c.EvalEvery > 0 && s % c.EvalEvery == 0))) kept.Add(line);
            }
        var w = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        w.WriteLine(string.Join(",", MetricColumns));
        foreach (var line in kept) w.WriteLine(line);
        return w;
    }

    private static void WriteRow(StreamWriter w, int step, float lr, double loss, double acc, TextEvalResult? eval, double seconds)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
        w.WriteLine(string.Join(",", step.ToString(CultureInfo.InvariantCulture), lr.ToString("R", CultureInfo.InvariantCulture),
            F(loss), F(acc), eval is null ? "" : F(eval.Loss), eval is null ? "" : F(eval.BitsPerCharacter), eval is null ? "" : F(eval.Accuracy),
            seconds.ToString("F3", CultureInfo.InvariantCulture)));
    }
}
