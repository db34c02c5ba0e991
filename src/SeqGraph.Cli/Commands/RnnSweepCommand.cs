using System.CommandLine;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn sweep</c>: maps options onto an <see cref="RnnSweepConfig"/> and prints the accuracy per model and length.</summary>
internal static class RnnSweepCommand
{
    public static Command Create()
    {
        var o = new RnnOptions();
        var models = new Option<string>("--models") { Description = "Comma-separated models", DefaultValueFactory = _ => "rnn,lstm" };
        var lengths = new Option<string>("--lengths") { Description = "Lengths: 5:40:5 (start:stop:step), 5..8, or 5,10,20", DefaultValueFactory = _ => "5:40:5" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: 0,1,2 or 0..2", DefaultValueFactory = _ => "0,1,2" };
        var output = RnnCommand.OutOption("results.csv, plots, summary.json and per-run metrics");
        var force = CliRunner.ForceOption();
        var cmd = new ExperimentCommand("sweep", "Train every model × length × seed and plot accuracy versus length") { models, lengths, seeds, output, force };
        o.AddTo(cmd);
        (RnnSweepConfig, string) Build(ParseResult r, string root)
        {
            var seedList = Parse.IntList("--seeds", r.GetValue(seeds)!);
            if (seedList.Any(s => s < 0)) throw new UsageException("--seeds must be ≥ 0");
            var config = new RnnSweepConfig
            {
                Models = Parse.Names("--models", r.GetValue(models)!, Parse.ModelNames).Select(Parse.Model).ToArray(),
                Lengths = Parse.IntList("--lengths", r.GetValue(lengths)!),
                Seeds = seedList.Select(s => (ulong)s).ToArray(),
                Train = o.Read(r),
            };
            o.CheckForgetBias(r, config.Models);
            config.Validate();
            return (config, r.GetValue(output) ?? CliRunner.DefaultFolder($"sweep-{config.Train.Task}", root));
        }
        cmd.Plan = (r, root) =>
        {
            var (config, dir) = Build(r, root);
            int runs = config.Points().Count();
            return new LaunchPlan($"sweep {config.Train.Task}", dir, r.GetValue(force), false, (folder, progress, cancel) =>
            {
                var res = RnnSweep.Run(config, folder, Reporter.Create<RnnSweepProgress>(p => progress.Report(new RunProgress(
                    p.Finished is null ? p.Run - 1 : p.Run, runs, "run", p.Step?.Loss, p.Step?.Accuracy,
                    $"{p.Config.Model.Name()} T={p.Config.Length} seed {p.Config.Seed}" + (p.Step is { } m ? $" step {m.Step}/{p.Config.Steps}" : "")))), cancel);
                double mean = res.Results.Count > 0 ? res.Results.Average(x => x.TestAccuracyMean) : double.NaN;
                return new RunOutcome(res.Interrupted, res.Runs == 0 ? "no run finished" : $"{res.Runs} runs; mean test accuracy {mean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", res.Diverged?.Message);
            });
        };
        cmd.SetAction(r =>
        {
            var (config, dir) = Build(r, "runs");
            var folder = CliRunner.Folder(dir, r.GetValue(force));
            // progress in runs: finished runs over all, the ETA from the pace of the finished ones
            using var line = new ProgressLine("sweep", config.Points().Count());
            var progress = Reporter.Create<RnnSweepProgress>(p =>
            {
                string label = $"run {p.Run}/{p.Runs} {p.Config.Model.Name()} T={p.Config.Length} seed {p.Config.Seed}";
                if (p.Finished is { } f) line.Report(p.Run, $"{label}: {(f.Converged ? $"converged at step {f.StepsToConverge}" : $"not converged in {f.Steps} steps")}, test {f.TestAccuracy:F3}");
                else line.Report(p.Run - 1, $"{label} step {p.Step!.Step}/{p.Config.Steps}");
            });
            return CliRunner.Run(RnnSweep.Run, config, folder, progress, r.GetValue(o.Json), res =>
            {
                if (res.Runs == 0) Console.WriteLine("no run finished, so there are no results yet");
                else foreach (var m in config.Models)
                    Console.WriteLine($"{m.Name(),-14} " + string.Join("  ", res.Results.Where(p => p.Model == m)
                        .Select(p => p.Diverged == p.Runs ? $"T={p.Length}: diverged" : $"T={p.Length}: {p.TestAccuracyMean:F3}±{p.TestAccuracyStd:F3}{(p.Diverged > 0 ? $" ({p.Diverged} diverged)" : "")}")));
                Console.WriteLine($"results and each run's model in {dir}");
            }, res => res.Interrupted, beforePrint: line.Dispose);
        });
        return cmd;
    }
}
