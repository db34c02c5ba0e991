using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using SeqGraph.Data;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph text train</c>: trains a character-level LSTM, with checkpoints and exact resume.</summary>
public static class TextTrainCommand
{
    /// <summary>Exit code after an interruption (SIGINT/SIGTERM) that saved a checkpoint.</summary>
    public const int Interrupted = 130;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var d = new TextTrainConfig();
        var corpus = new Option<string?>("--corpus") { Description = "UTF-8 text file to learn (with --resume: the checkpoint's corpus by default)" };
        var outDir = new Option<string?>("--out") { Description = "Output folder (with --resume: the resumed folder by default)" };
        var seq = new Option<int>("--seq") { Description = "Characters per training window (T)", DefaultValueFactory = _ => d.Seq };
        var batch = new Option<int>("--batch") { Description = "Windows per batch", DefaultValueFactory = _ => d.Batch };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units per layer", DefaultValueFactory = _ => d.Hidden };
        var layers = new Option<int>("--layers") { Description = "LSTM layers", DefaultValueFactory = _ => d.Layers };
        var embed = new Option<int>("--embed") { Description = "Embedding size", DefaultValueFactory = _ => d.Embed };
        var dropout = new Option<float>("--dropout") { Description = "Dropout between LSTM layers", DefaultValueFactory = _ => d.Dropout };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => d.LearningRate };
        var lrDecay = new Option<float>("--lr-decay") { Description = "StepLR factor", DefaultValueFactory = _ => d.LrDecay };
        var lrStep = new Option<int>("--lr-step") { Description = "StepLR period (steps)", DefaultValueFactory = _ => d.LrStep };
        var clip = new Option<float>("--clip") { Description = "Gradient-norm clip (0 = off)", DefaultValueFactory = _ => d.Clip };
        var steps = new Option<int?>("--steps") { Description = "Total training steps (default 10000 when --minutes is not given)" };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget in minutes" };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every N steps (0 = at the end only)", DefaultValueFactory = _ => d.EvalEvery };
        var sampleEvery = new Option<int>("--sample-every") { Description = "Extra greedy samples every N steps (0 = at 1/3, 2/3, 3/3 only)", DefaultValueFactory = _ => d.SampleEvery };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (0 = at the end only)", DefaultValueFactory = _ => d.CheckpointEvery };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this folder" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of weights, windows and samples", DefaultValueFactory = _ => 0UL };
        var threads = Common.Threads();
        var json = Common.Json();
        var cmd = new Command("train", "Train a character-level LSTM on a text file")
        {
            corpus, outDir, seq, batch, hidden, layers, embed, dropout, lr, lrDecay, lrStep, clip, steps, minutes,
            evalEvery, sampleEvery, checkpointEvery, resume, seed, threads, json,
        };
        cmd.SetAction(r =>
        {
            Common.ApplyThreads(r.GetValue(threads));
            var config = new TextTrainConfig
            {
                Corpus = r.GetValue(corpus) ?? "", Seq = r.GetValue(seq), Batch = r.GetValue(batch), Hidden = r.GetValue(hidden),
                Layers = r.GetValue(layers), Embed = r.GetValue(embed), Dropout = r.GetValue(dropout), LearningRate = r.GetValue(lr),
                LrDecay = r.GetValue(lrDecay), LrStep = r.GetValue(lrStep), Clip = r.GetValue(clip), Steps = r.GetValue(steps),
                Minutes = r.GetValue(minutes), EvalEvery = r.GetValue(evalEvery), SampleEvery = r.GetValue(sampleEvery),
                CheckpointEvery = r.GetValue(checkpointEvery), Seed = r.GetValue(seed),
            };
            if (config.Steps is null && config.Minutes is null) config = config with { Steps = 10_000 };
            string? resumeDir = r.GetValue(resume);
            string? outPath = r.GetValue(outDir) ?? resumeDir;
            if (outPath is null) throw new UsageException("--out is required (the folder for metrics, samples and checkpoints)");
            if (resumeDir is null && config.Corpus.Length == 0) throw new UsageException("--corpus is required");
            try { config.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            return Run(config, resumeDir, outPath, r.GetValue(json), r);
        });
        return cmd;
    }

    private static int Run(TextTrainConfig config, string? resumeDir, string outDir, bool json, ParseResult parse)
    {
        TextTrainer trainer;
        if (resumeDir is null)
        {
            var corpus = TextCorpus.Load(config.Corpus, config.ValidationFraction);
            trainer = new TextTrainer(config, corpus);
        }
        else
        {
            var saved = TextCheckpoint.LoadModel(resumeDir).Config;
            string corpusPath = config.Corpus.Length > 0 ? config.Corpus : saved.Corpus;
            var corpus = TextCorpus.Load(corpusPath, saved.ValidationFraction);
            // Budget and intervals come from the command line when given there, else from the checkpoint.
            bool Given(string name) => parse.GetResult(name) is System.CommandLine.Parsing.OptionResult { Implicit: false };
            try
            {
                trainer = TextCheckpoint.Resume(resumeDir, corpus, s => s with
                {
                    Corpus = corpusPath,
                    Steps = Given("--steps") || Given("--minutes") ? config.Steps : s.Steps,
                    Minutes = Given("--steps") || Given("--minutes") ? config.Minutes : s.Minutes,
                    EvalEvery = Given("--eval-every") ? config.EvalEvery : s.EvalEvery,
                    SampleEvery = Given("--sample-every") ? config.SampleEvery : s.SampleEvery,
                    CheckpointEvery = Given("--checkpoint-every") ? config.CheckpointEvery : s.CheckpointEvery,
                });
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }

        using var stop = new CancellationTokenSource();
        void Request() { if (!stop.IsCancellationRequested) { stop.Cancel(); Console.Error.WriteLine("\nseqgraph: stopping after this step, saving a checkpoint…"); } }
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; Request(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; Request(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; Request(); });
        var progress = new TrainProgress(trainer.Config);
        TextRunResult result;
        try
        {
            result = TextTrainingRun.Run(trainer, outDir, progress.Step, progress.Eval, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            progress.Finish();
        }
        TextCharts.Write(outDir);
        var s = result.Summary;
        if (json) Console.WriteLine(s.ToJsonString());
        else
        {
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(ci, "{0} steps in {1:F1} s ({2:N0} chars/s); train loss {3:F4}, accuracy {4:F4} (last {5} steps); validation {6:F4} bits/char, accuracy {7:F4}",
                s["steps"], (double)s["seconds"]!, (double)s["chars_per_second"]!, (double?)s["train_loss"] ?? double.NaN, (double?)s["train_accuracy"] ?? double.NaN,
                s["train_window"], (double?)s["val_bpc"] ?? double.NaN, (double?)s["val_accuracy"] ?? double.NaN));
            Console.WriteLine($"Wrote {outDir}: config.json, metrics.csv, summary.json, samples.md, loss.svg, accuracy.svg, model.safetensors, model.json");
        }
        if (result.Interrupted)
        {
            Console.Error.WriteLine($"seqgraph: interrupted at step {s["steps"]}; checkpoint saved. Continue with: seqgraph text train --resume {outDir}");
            return Interrupted;
        }
        return 0;
    }
}
