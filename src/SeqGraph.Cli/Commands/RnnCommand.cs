using System.CommandLine;
using System.Text.Json.Nodes;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Reporting;
using SeqGraph.Training;
using Spectre.Console;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn train | sweep | gradients | params</c>: the memorization experiments.</summary>
public static class RnnCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rnn = new Command("rnn", "Recurrent networks on the memorization tasks");
        rnn.Subcommands.Add(Train());
        rnn.Subcommands.Add(RnnSweep.Create());
        rnn.Subcommands.Add(RnnGradients.Create());
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

    private static Command Train()
    {
        var o = new RnnOptions();
        var model = ModelOption("rnn");
        var length = new Option<int>("--length") { Description = "Sequence length T", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        var output = OutOption("config.json, metrics.csv, summary.json and plots");
        var cmd = new Command("train", "Train one model on one task until it converges or runs out of steps");
        cmd.Options.Add(model);
        cmd.Options.Add(length);
        cmd.Options.Add(seed);
        cmd.Options.Add(output);
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var baseConfig = o.Read(r);
            string modelName = r.GetValue(model)!;
            var (cell, bidi) = Parse.Model(modelName);
            int len = r.GetValue(length);
            RnnOptions.CheckLength(baseConfig.Task, len);
            int s = r.GetValue(seed);
            if (s < 0) throw new UsageException($"--seed must be ≥ 0 (got {s})");
            var config = baseConfig with { Cell = cell, Bidirectional = bidi, Length = len, Seed = (ulong)s };
            string dir = r.GetValue(output) ?? Path.Combine("runs", $"rnn-{config.Task}-{modelName}-T{len}-s{s}");
            var run = RunFolder.Create(dir);
            run.WriteConfig(RnnOptions.ToJson(config, modelName));
            var result = TrainInto(run, config, modelName, "metrics.csv", $"{modelName} T={len}");
            var summary = Summary(config, modelName, result);
            run.WriteSummary(summary);
            if (r.GetValue(o.Json)) Console.WriteLine(summary.ToJsonString());
            else
            {
                Console.WriteLine($"{modelName} on {config.Task} T={len}: {(result.Converged ? $"converged at step {result.StepsToConverge}" : $"not converged after {result.Steps} steps")}, " +
                    $"test accuracy {result.TestAccuracy:F4} (loss {result.TestLoss:F4}), {result.Seconds:F1} s, {result.Parameters:N0} parameters");
                Console.WriteLine($"results in {dir}");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Trains with progress on stderr, metrics rows and loss/accuracy plots in <paramref name="run"/>.</summary>
    internal static SequenceTrainResult TrainInto(RunFolder run, SequenceTrainConfig config, string modelName, string metricsFile, string label, bool charts = true, Action<int>? onStep = null)
    {
        var steps = new List<double>();
        var losses = new List<double>();
        var accs = new List<double>();
        SequenceTrainResult result;
        using (var metrics = run.OpenMetrics(metricsFile, "step", "loss", "accuracy", "grad_norm", "seconds"))
        using (var progress = onStep is null ? new ProgressLine(label, config.Steps, mayStopEarly: true) : null)
        {
            result = SequenceTrainer.Train(config, m =>
            {
                metrics.Append(m.Step, m.Loss, m.Accuracy, m.GradNorm, m.Seconds);
                steps.Add(m.Step);
                losses.Add(m.Loss);
                accs.Add(m.Accuracy);
                progress?.Report(m.Step, $"loss {m.Loss:F4} acc {m.Accuracy:F3}");
                onStep?.Invoke(m.Step);
            });
        }
        if (!charts) return result;
        run.SaveChart("loss.svg", new SvgChart($"Training loss — {label}", "step", "cross-entropy") { LogY = true }
            .AddSeries(modelName, steps.ToArray(), losses.ToArray()));
        run.SaveChart("accuracy.svg", new SvgChart($"Training accuracy — {label}", "step", "batch accuracy")
            .AddSeries(modelName, steps.ToArray(), accs.ToArray()));
        return result;
    }

    /// <summary>summary.json of one run.</summary>
    internal static JsonObject Summary(SequenceTrainConfig c, string model, SequenceTrainResult r) => new()
    {
        ["model"] = model,
        ["task"] = c.Task,
        ["length"] = c.Length,
        ["seed"] = c.Seed,
        ["impl"] = c.Impl.ToString().ToLowerInvariant(),
        ["steps"] = r.Steps,
        ["converged"] = r.Converged,
        ["steps_to_converge"] = r.StepsToConverge,
        ["train_accuracy"] = r.TrainAccuracy,
        ["test_accuracy"] = r.TestAccuracy,
        ["test_loss"] = r.TestLoss,
        ["seconds"] = Math.Round(r.Seconds, 3),
        ["steps_per_second"] = Math.Round(r.Steps / Math.Max(r.Seconds, 1e-9), 2),
        ["parameters"] = r.Parameters,
    };

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
            string name = r.GetValue(model)!;
            var (cell, bidi) = Parse.Model(name);
            int d = Parse.Positive("--input", r.GetValue(input)), n = Parse.Positive("--hidden", r.GetValue(hidden));
            int k = Parse.Positive("--classes", r.GetValue(classes)), l = Parse.Positive("--layers", r.GetValue(layers));
            var m = new SequenceClassifier(cell, d, k, n, new SeqGraph.Random.Rng(0), 0, l, bidi);
            long closed = SequenceClassifier.ClosedFormParameters(cell, d, k, n, 0, l, bidi);
            string formula = Formula(cell, bidi, l, d, n, k);
            if (r.GetValue(json))
            {
                var arr = new JsonArray();
                foreach (var (pn, p) in m.NamedParameters())
                    arr.Add(new JsonObject { ["name"] = pn, ["shape"] = new JsonArray(p.Shape.Select(x => (JsonNode)x).ToArray()), ["count"] = p.Size });
                Console.WriteLine(new JsonObject { ["model"] = name, ["parameters"] = arr, ["total"] = m.ParameterCount, ["closed_form"] = closed, ["formula"] = formula }.ToJsonString());
                return 0;
            }
            var table = new Table().AddColumns("parameter", "shape", "count");
            foreach (var (pn, p) in m.NamedParameters())
                table.AddRow(Markup.Escape(pn), Markup.Escape(p.ShapeString), p.Size.ToString("N0"));
            table.AddRow("[bold]total[/]", "", $"[bold]{m.ParameterCount:N0}[/]");
            Common.Out.Write(table);
            Console.WriteLine($"closed form: {formula} = {closed:N0} ({(closed == m.ParameterCount ? "matches" : "DOES NOT MATCH")})");
            return 0;
        });
        return cmd;
    }

    private static string Formula(CellType cell, bool bidi, int layers, int d, int n, int k)
    {
        string dirs = bidi ? "2·" : "";
        string one = cell switch
        {
            CellType.Lstm => $"4n(d+n+1)",
            CellType.Gru => $"3n(d+n+1)",
            CellType.Rnn => $"n(d+n+1)",
            CellType.PeepholeLstm => $"4n(d+1)+3n²",
            _ => "?",
        };
        string rest = layers > 1 ? $" + {layers - 1}×{dirs}[same with d={n * (bidi ? 2 : 1)}]" : "";
        return $"{dirs}{one}{rest} + K({(bidi ? "2n" : "n")}+1) with d={d}, n={n}, K={k}";
    }
}
