using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Training;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph text train</c>: trains a character-level LSTM, with checkpoints and exact resume.</summary>
public static class TextTrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var d = new TextTrainConfig();
        var corpus = new Option<string?>("--corpus") { Description = "Text file to learn (with --resume: the checkpoint's corpus by default)" };
        var encoding = TextOptions.Encoding();
        var keepGutenberg = TextOptions.KeepGutenberg();
        var outDir = new Option<string?>("--out") { Description = "Output folder (default under runs/; with --resume: the resumed folder)" };
        var force = CliRunner.ForceOption();
        var seq = new Option<int>("--seq") { Description = "Characters per training window (T)", DefaultValueFactory = _ => d.Seq };
        var batch = new Option<int>("--batch") { Description = "Windows per batch", DefaultValueFactory = _ => d.Batch };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units per layer", DefaultValueFactory = _ => d.Hidden };
        var layers = new Option<int>("--layers") { Description = "LSTM layers", DefaultValueFactory = _ => d.Layers };
        var embed = new Option<int>("--embed") { Description = "Embedding size", DefaultValueFactory = _ => d.Embed };
        var dropout = new Option<float>("--dropout") { Description = "Dropout between LSTM layers", DefaultValueFactory = _ => d.Dropout };
        var lr = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => d.Lr };
        var lrDecay = new Option<float>("--lr-decay") { Description = "StepLR factor", DefaultValueFactory = _ => d.LrDecay };
        var lrStep = new Option<int>("--lr-step") { Description = "StepLR period (steps)", DefaultValueFactory = _ => d.LrStep };
        var clip = new Option<float>("--clip") { Description = "Gradient-norm clip (0 = off)", DefaultValueFactory = _ => d.Clip };
        var steps = new Option<int?>("--steps") { Description = "Total training steps (default 10000 when --minutes is not given)" };
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget in minutes" };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every N steps (0 = at the end only)", DefaultValueFactory = _ => d.EvalEvery };
        var sampleEvery = new Option<int>("--sample-every") { Description = "Extra greedy samples every N steps (0 = at 1/3, 2/3, 3/3 only)", DefaultValueFactory = _ => d.SampleEvery };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (0 = at the end only)", DefaultValueFactory = _ => d.CheckpointEvery };
        var resume = new Option<string?>("--resume")
        {
            Description = $"Continue the run saved in this folder. Only {string.Join(", ", TextTrainConfig.ResumableOptions)} may change " +
                "(config.json records the changes); any other option must match the checkpoint, except from a step-0 checkpoint " +
                "(seqgraph import writes one), where all but --embed, --hidden and --layers may change",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of weights, windows and samples", DefaultValueFactory = _ => 0UL };
        var threads = Common.Threads();
        var maxMemory = Common.MaxMemory();
        var json = Common.Json();
        var cmd = new ExperimentCommand("train", "Train a character-level LSTM on a text file")
        {
            corpus, encoding, keepGutenberg, outDir, seq, batch, hidden, layers, embed, dropout, lr, lrDecay, lrStep, clip, steps, minutes,
            evalEvery, sampleEvery, checkpointEvery, resume, seed, force, threads, maxMemory, json,
        };
        TextPlan Build(ParseResult r, string root)
        {
            // a checkpoint file stands for its folder; a missing folder or another kind of run is an error before any folder is made
            string? resumeDir = r.GetValue(resume) is { } given ? TextCheckpointFolder.Resolve(given) : null;
            if (resumeDir is null && r.GetValue(corpus) is not { Length: > 0 }) throw new UsageException("--corpus is required");
            // a run's best/ is continued into a new folder, never into itself (it would become a run inside a run)
            if (resumeDir is not null && Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(resumeDir))) == TextTraining.BestFolderName
                && (r.GetValue(outDir) is not { } o || Path.GetFullPath(o) == Path.GetFullPath(resumeDir)))
                throw new UsageException($"--resume: {resumeDir} is a run's best checkpoint; continue it into a new folder with --out");
            string outPath = r.GetValue(outDir) ?? resumeDir
                ?? CliRunner.DefaultFolder($"text-{Path.GetFileNameWithoutExtension(r.GetValue(corpus)!)}-h{r.GetValue(hidden)}", root);
            bool Given(string name) => r.GetResult(name) is System.CommandLine.Parsing.OptionResult { Implicit: false };
            int threadCount = Common.CheckThreads(r.GetValue(threads));
            // a resumed run writes into its own folder; any other folder that holds files needs --force
            bool reuse = resumeDir is not null && Path.GetFullPath(outPath) == Path.GetFullPath(resumeDir);
            Func<TextTrainConfig, RunFolder?, IProgress<TextTrainProgress>?, CancellationToken, TextTrainResult> run;
            TextTrainConfig config;
            if (resumeDir is null)
            {
                config = new TextTrainConfig
                {
                    Corpus = r.GetValue(corpus) ?? "", Seq = r.GetValue(seq), Batch = r.GetValue(batch), Hidden = r.GetValue(hidden),
                    Layers = r.GetValue(layers), Embed = r.GetValue(embed), Dropout = r.GetValue(dropout), Lr = r.GetValue(lr),
                    LrDecay = r.GetValue(lrDecay), LrStep = r.GetValue(lrStep), Clip = r.GetValue(clip), Steps = r.GetValue(steps),
                    Minutes = r.GetValue(minutes), EvalEvery = r.GetValue(evalEvery), SampleEvery = r.GetValue(sampleEvery),
                    CheckpointEvery = r.GetValue(checkpointEvery), Seed = r.GetValue(seed), Threads = threadCount,
                    Encoding = TextOptions.ParseEncoding(r.GetValue(encoding)), KeepGutenberg = r.GetValue(keepGutenberg),
                    MaxMemory = Common.ReadMaxMemory(r, maxMemory),
                };
                if (config.Steps is null && config.Minutes is null) config = config with { Steps = 10_000 };
                config.Validate();
                run = TextTraining.Run;
            }
            else
            {
                // Every option given on the command line is applied to the checkpoint's settings; the
                // library refuses, naming the option, any that may not change on resume.
                config = TextCheckpoint.LoadModel(resumeDir).Config;
                TextTrainConfig Adjust(TextTrainConfig s) => s with
                {
                    Corpus = r.GetValue(corpus) ?? s.Corpus,
                    Encoding = Given("--encoding") ? TextOptions.ParseEncoding(r.GetValue(encoding)) : s.Encoding,
                    KeepGutenberg = Given("--keep-gutenberg") ? r.GetValue(keepGutenberg) : s.KeepGutenberg,
                    Seq = Given("--seq") ? r.GetValue(seq) : s.Seq,
                    Batch = Given("--batch") ? r.GetValue(batch) : s.Batch,
                    Hidden = Given("--hidden") ? r.GetValue(hidden) : s.Hidden,
                    Layers = Given("--layers") ? r.GetValue(layers) : s.Layers,
                    Embed = Given("--embed") ? r.GetValue(embed) : s.Embed,
                    Dropout = Given("--dropout") ? r.GetValue(dropout) : s.Dropout,
                    Lr = Given("--lr") ? r.GetValue(lr) : s.Lr,
                    LrDecay = Given("--lr-decay") ? r.GetValue(lrDecay) : s.LrDecay,
                    LrStep = Given("--lr-step") ? r.GetValue(lrStep) : s.LrStep,
                    Clip = Given("--clip") ? r.GetValue(clip) : s.Clip,
                    Seed = Given("--seed") ? r.GetValue(seed) : s.Seed,
                    Steps = Given("--steps") || Given("--minutes") ? r.GetValue(steps) : s.Steps,
                    Minutes = Given("--steps") || Given("--minutes") ? r.GetValue(minutes) : s.Minutes,
                    EvalEvery = Given("--eval-every") ? r.GetValue(evalEvery) : s.EvalEvery,
                    SampleEvery = Given("--sample-every") ? r.GetValue(sampleEvery) : s.SampleEvery,
                    CheckpointEvery = Given("--checkpoint-every") ? r.GetValue(checkpointEvery) : s.CheckpointEvery,
                    Threads = threadCount,
                    MaxMemory = Common.ReadMaxMemory(r, maxMemory),
                };
                run = (_, f, p, c) => TextTraining.Resume(resumeDir, Adjust, f, p, c);
            }
            return new TextPlan(config, run, outPath, reuse);
        }
        cmd.Plan = (r, root) =>
        {
            var plan = Build(r, root);
            string label = $"text {Path.GetFileNameWithoutExtension(plan.Config.Corpus)} h{plan.Config.Hidden}";
            return new LaunchPlan(label, plan.OutPath, r.GetValue(force), plan.Reuse, (folder, progress, cancel) =>
            {
                var res = plan.Run(plan.Config, folder, Reporter.Create<TextTrainProgress>(p =>
                {
                    if (p.Step is { } m) progress.Report(new RunProgress(m.Step, p.Steps, "step", m.Loss, m.Accuracy,
                        p.Eval is { } e ? string.Create(CultureInfo.InvariantCulture, $"val {e.BitsPerCharacter:F3} bpc") : null));
                }), cancel);
                return new RunOutcome(res.Interrupted, res.ValBpc is { } bpc
                    ? string.Create(CultureInfo.InvariantCulture, $"{res.Steps} steps; validation {bpc:F4} bits/char")
                    : $"{res.Steps} steps; no validation ran", res.Diverged?.Message);
            });
        };
        cmd.SetAction(r =>
        {
            var (config, run, outPath, reuse) = Build(r, "runs");
            var folder = CliRunner.Folder(outPath, r.GetValue(force), reuse);
            TrainProgress? shown = null;
            var progress = Reporter.Create<TextTrainProgress>(p => (shown ??= new TrainProgress()).Report(p));
            return CliRunner.Run(run, config, folder, progress, r.GetValue(json), s =>
            {
                var ci = CultureInfo.InvariantCulture;
                string val = s.ValBpc is { } bpc
                    ? string.Format(ci, "validation {0:F4} bits/char, accuracy {1:F4}{2}", bpc, s.ValAccuracy, s.ValStep != s.Steps ? $" at step {s.ValStep}" : "")
                    : "no validation ran";
                string train = s.TrainLoss is { } tl ? string.Format(ci, "train loss {0:F4}, accuracy {1:F4} (last {2} steps)", tl, s.TrainAccuracy, s.TrainWindow) : "no training step ran";
                if (s.BestValBpc is { } best && s.BestStep != s.ValStep) val += string.Format(ci, " (best {0:F4} at step {1}, saved in {2}/)", best, s.BestStep, TextTraining.BestFolderName);
                Console.WriteLine(string.Format(ci, "{0} steps in {1:F1} s ({2:N0} chars/s); {3}; {4}", s.Steps, s.Seconds, s.CharsPerSecond, train, val));
                var written = Directory.EnumerateFiles(folder.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith('.'))
                    .Concat(Directory.Exists(Path.Combine(folder.Path, TextTraining.BestFolderName)) ? new[] { TextTraining.BestFolderName + "/" } : Array.Empty<string>())
                    .Order(StringComparer.Ordinal);
                Console.WriteLine($"Wrote {outPath}: {string.Join(", ", written)}");
            }, s => s.Interrupted, "stopping after this step, saving a checkpoint…", beforePrint: () => shown?.Finish(),
            interruptedNote: $"checkpoint saved. Continue with: seqgraph text train --resume {outPath}");
        });
        return cmd;
    }
}
