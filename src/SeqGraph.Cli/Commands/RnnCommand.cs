using System.CommandLine;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Web;
using Spectre.Console;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn train | sweep | gradients | params</c>: the memorization experiments (<see cref="SeqGraph.Experiments.Rnn"/>).</summary>
public static class RnnCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rnn = new Command("rnn", "Recurrent networks on the memorization tasks");
        rnn.Subcommands.Add(Train());
        rnn.Subcommands.Add(RnnSweepCommand.Create());
        rnn.Subcommands.Add(RnnGradientsCommand.Create());
        rnn.Subcommands.Add(Params());
        return rnn;
    }

    internal static Option<string> ModelOption(string defaultModel) => new("--model")
    {
        Description = "rnn | lstm | peephole-lstm | gru | bilstm",
        DefaultValueFactory = _ => defaultModel,
    };

    internal static Option<string> OutOption(string what) => new("--out")
    {
        Description = $"Folder for {what} (created; default under runs/)",
    };

    internal static Option<int> SeedOption() => new("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };

    internal static ulong Seed(int s) => s >= 0 ? (ulong)s : throw new UsageException($"--seed must be ≥ 0 (got {s})");

    private static Command Train()
    {
        var o = new RnnOptions();
        var model = ModelOption("rnn");
        var length = new Option<int>("--length") { Description = "Sequence length T", DefaultValueFactory = _ => 5 };
        var seed = SeedOption();
        var output = OutOption("config.json, metrics.csv, summary.json and plots");
        var force = CliRunner.ForceOption();
        var cmd = new ExperimentCommand("train", "Train one model on one task until it converges or runs out of steps") { model, length, seed, output, force };
        o.AddTo(cmd);
        (RnnTrainConfig, string) Build(ParseResult r, string root)
        {
            var config = o.Read(r) with { Model = Parse.Model(r.GetValue(model)!), Length = r.GetValue(length), Seed = Seed(r.GetValue(seed)) };
            o.CheckForgetBias(r, [config.Model]);
            config.Validate();
            return (config, r.GetValue(output) ?? CliRunner.DefaultFolder($"rnn-{config.Task}-{config.Model.Name()}-T{config.Length}-s{config.Seed}", root));
        }
        cmd.Plan = (r, root) =>
        {
            var (config, dir) = Build(r, root);
            return new LaunchPlan(config.Label, dir, r.GetValue(force), false, (folder, progress, cancel) =>
            {
                var res = RnnTraining.Run(config, folder, SeqGraph.Experiments.Reporter.Create<SeqGraph.Training.StepMetrics>(m =>
                    progress.Report(new RunProgress(m.Step, config.Steps, "step", m.Loss, m.Accuracy))), cancel);
                return new RunOutcome(res.Interrupted, $"{Outcome(config, res)}; test accuracy {res.TestAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}", res.Diverged?.Message);
            });
        };
        cmd.SetAction(r =>
        {
            var (config, dir) = Build(r, "runs");
            var folder = CliRunner.Folder(dir, r.GetValue(force));
            using var line = new ProgressLine(config.Label, config.Steps, mayStopEarly: true);
            var progress = SeqGraph.Experiments.Reporter.Create<SeqGraph.Training.StepMetrics>(m => line.Report(m.Step, $"loss {m.Loss:F4} acc {m.Accuracy:F3}"));
            return CliRunner.Run(RnnTraining.Run, config, folder, progress, r.GetValue(o.Json), res =>
            {
                Console.WriteLine($"{res.Model.Name()} on {res.Task} T={res.Length}: {Outcome(config, res)}; " +
                    $"test accuracy {res.TestAccuracy:F4} (loss {res.TestLoss:F4}), {res.Seconds:F1} s, {res.Parameters:N0} parameters");
                Console.WriteLine(res.Diverged is null ? $"results and model in {dir}" : $"results in {dir} (no model saved: it diverged)");
            }, res => res.Interrupted, beforePrint: line.Dispose);
        });
        return cmd;
    }

    /// <summary>
    /// How training ended, saying what convergence means: "converged, 100% training accuracy over
    /// steps 248–267" (the stopping rule's window; training stopped at its last step).
    /// </summary>
    internal static string Outcome(RnnTrainConfig config, RnnTrainResult res)
    {
        if (res.Converged && res.StepsToConverge is int first)
        {
            string target = config.TargetAccuracy >= 1 ? "100% training accuracy" : $"mean training accuracy ≥ {config.TargetAccuracy * 100:0.##}%";
            return $"converged, {target} over steps {first}–{first + config.Window - 1}";
        }
        if (res.Diverged is { } d) return $"diverged at step {d.Step}";
        return res.Interrupted ? $"interrupted after {res.Steps} steps" : $"not converged after {res.Steps} steps";
    }

    private static Command Params()
    {
        var model = ModelOption("lstm");
        var input = new Option<int>("--input") { Description = "Input size d (one-hot vocabulary)", DefaultValueFactory = _ => 10 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units n", DefaultValueFactory = _ => 128 };
        var classes = new Option<int>("--classes") { Description = "Output classes K", DefaultValueFactory = _ => 10 };
        var layers = new Option<int>("--layers") { Description = "Stacked layers", DefaultValueFactory = _ => 1 };
        var json = Common.Json();
        var cmd = new Command("params", "Every parameter tensor of a model, the total, and the closed form") { model, input, hidden, classes, layers, json };
        cmd.SetAction(r =>
        {
            var p = RnnParams.Describe(Parse.Model(r.GetValue(model)!), r.GetValue(input), r.GetValue(hidden), r.GetValue(classes), r.GetValue(layers));
            if (r.GetValue(json))
            {
                Console.WriteLine(SeqGraph.IO.RunJson.SerializeCompact(p));
                return 0;
            }
            var table = new Table().AddColumns("parameter", "shape", "count");
            foreach (var t in p.Parameters)
                table.AddRow(Markup.Escape(t.Name), Markup.Escape($"[{string.Join(", ", t.Shape)}]"), t.Count.ToString("N0"));
            table.AddRow("[bold]total[/]", "", $"[bold]{p.Total:N0}[/]");
            Common.Out.Write(table);
            Console.WriteLine($"closed form: {p.Formula} = {p.ClosedForm:N0} ({(p.Matches ? "matches" : "DOES NOT MATCH")})");
            return 0;
        });
        return cmd;
    }
}
