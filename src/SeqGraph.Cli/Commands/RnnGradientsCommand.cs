using System.CommandLine;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn gradients</c>: maps options onto an <see cref="RnnGradientsConfig"/> and prints the first-over-last gradient ratios.</summary>
internal static class RnnGradientsCommand
{
    public static Command Create()
    {
        var o = new RnnOptions(stopping: false, impl: false);
        var models = new Option<string>("--models") { Description = "Comma-separated models", DefaultValueFactory = _ => "rnn,lstm,gru" };
        var length = new Option<int>("--length") { Description = "Sequence length T", DefaultValueFactory = _ => 30 };
        var after = new Option<int>("--after-steps") { Description = "Training steps before the second measurement", DefaultValueFactory = _ => 300 };
        var seed = RnnCommand.SeedOption();
        var output = RnnCommand.OutOption("gradnorms.csv, the plot and summary.json");
        var force = CliRunner.ForceOption();
        var cmd = new ExperimentCommand("gradients", "Norm of ∂L/∂h(t) for every step t, at initialisation and after training (vanishing gradients)") { models, length, after, seed, output, force };
        o.AddTo(cmd);
        (RnnGradientsConfig, string) Build(ParseResult r, string root)
        {
            var config = new RnnGradientsConfig
            {
                Models = Parse.Names("--models", r.GetValue(models)!, Parse.ModelNames).Select(Parse.Model).ToArray(),
                AfterSteps = r.GetValue(after),
                Train = o.Read(r) with { Length = r.GetValue(length), Seed = RnnCommand.Seed(r.GetValue(seed)) },
            };
            o.CheckForgetBias(r, config.Models);
            config.Validate();
            return (config, r.GetValue(output) ?? CliRunner.DefaultFolder($"gradients-{config.Train.Task}-T{config.Train.Length}", root));
        }
        cmd.Plan = (r, root) =>
        {
            var (config, dir) = Build(r, root);
            long total = config.Models.Length * (config.AfterSteps + 2L);
            return new LaunchPlan($"gradients {config.Train.Task} T={config.Train.Length}", dir, r.GetValue(force), false, (folder, progress, cancel) =>
            {
                var res = RnnGradients.Run(config, folder, Reporter.Create<RnnGradientsProgress>(p =>
                    progress.Report(new RunProgress(p.Done, total, "step", null, null, p.Model.Name()))), cancel);
                var first = res.Models.FirstOrDefault();
                return new RunOutcome(res.Interrupted, first is null ? "no model measured" : 
                    FormattableString.Invariant($"{first.Model.Name()} ‖∂L/∂h(1)‖/‖∂L/∂h(T)‖ at init {first.InitFirstOverLast:G3}")
                    + (first.TrainedFirstOverLast is { } t ? FormattableString.Invariant($", trained {t:G3}") : ""), res.Diverged?.Message);
            });
        };
        cmd.SetAction(r =>
        {
            var (config, dir) = Build(r, "runs");
            var folder = CliRunner.Folder(dir, r.GetValue(force));
            using var line = new ProgressLine("gradients", config.Models.Length * (config.AfterSteps + 2L));
            var progress = Reporter.Create<RnnGradientsProgress>(p => line.Report(p.Done, p.Step > 0 ? $"{p.Model.Name()} step {p.Step}" : p.Model.Name()));
            return CliRunner.Run(RnnGradients.Run, config, folder, progress, r.GetValue(o.Json), res =>
            {
                foreach (var m in res.Models)
                    Console.WriteLine($"{m.Model.Name(),-14} ‖∂L/∂h(1)‖ / ‖∂L/∂h({res.InputLength})‖ at init: {m.InitFirstOverLast:G3}" +
                        (m.TrainedFirstOverLast is { } t ? $", after {res.AfterSteps} steps: {t:G3}" : ""));
                Console.WriteLine($"results in {dir}");
            }, res => res.Interrupted, beforePrint: line.Dispose);
        });
        return cmd;
    }
}
