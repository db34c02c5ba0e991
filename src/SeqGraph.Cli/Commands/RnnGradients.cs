using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Reporting;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn gradients</c>: ‖∂L/∂h(t)‖ for every t, at initialisation and after training.</summary>
internal static class RnnGradients
{
    public static Command Create()
    {
        var o = new RnnOptions();
        var models = new Option<string>("--models") { Description = "Comma-separated models", DefaultValueFactory = _ => "rnn,lstm,gru" };
        var length = new Option<int>("--length") { Description = "Sequence length T", DefaultValueFactory = _ => 30 };
        var after = new Option<int>("--after-steps") { Description = "Training steps before the second measurement", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        var output = RnnCommand.OutOption("gradnorms.csv, the plot and summary.json");
        var cmd = new Command("gradients", "Norm of ∂L/∂h(t) for every step t, at initialisation and after training (vanishing gradients)") { models, length, after, seed, output };
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var baseConfig = o.Read(r);
            if (baseConfig.Impl != RecurrentImpl.Fused) throw new UsageException("--impl: rnn gradients measures with the fused layers");
            var modelNames = Parse.Names("--models", r.GetValue(models)!, Parse.ModelNames);
            int len = r.GetValue(length);
            RnnOptions.CheckLength(baseConfig.Task, len);
            int inputLength = SequenceTasks.Create(baseConfig.Task, len).InputLength;
            int steps = r.GetValue(after);
            if (steps < 0) throw new UsageException($"--after-steps must be ≥ 0 (got {steps})");
            int s = r.GetValue(seed);
            if (s < 0) throw new UsageException($"--seed must be ≥ 0 (got {s})");
            string dir = r.GetValue(output) ?? Path.Combine("runs", $"gradients-{baseConfig.Task}-T{len}");
            var run = RunFolder.Create(dir);
            var cfg = RnnOptions.ToJson(baseConfig with { Length = len, Seed = (ulong)s }, string.Join(",", modelNames));
            cfg["after_steps"] = steps;
            run.WriteConfig(cfg);

            var csv = new StringBuilder("model,phase,t,norm\n");
            var chart = new SvgChart($"‖∂L/∂h(t)‖ — {baseConfig.Task}, T={len}", "time step t", "mean gradient norm") { LogY = true };
            var summary = new JsonArray();
            using var progress = new ProgressLine("gradients", (long)modelNames.Length * (steps + 2));
            long done = 0;
            foreach (var name in modelNames)
            {
                var (cell, bidi) = Parse.Model(name);
                var c = baseConfig with { Cell = cell, Bidirectional = bidi, Length = len, Seed = (ulong)s, Impl = RecurrentImpl.Fused };
                var (model, task) = SequenceTrainer.Build(c);
                var (probeX, probeY) = task.SampleBatch(new Rng((ulong)s ^ 0x0B5E_4E11UL), c.Batch);
                int L = task.InputLength;
                var before = GradientProbe.HiddenGradientNorms(model, probeX, probeY, c.Batch, L);
                progress.Report(++done, name);
                var opt = SequenceTrainer.MakeOptimizer(c, model.Parameters());
                var data = new Rng((ulong)s ^ 0x5EED_DA7AUL);
                var x = new int[c.Batch * L];
                var y = new int[c.Batch];
                double acc = double.NaN;
                for (int step = 1; step <= steps; step++)
                {
                    task.Sample(data, c.Batch, x, y);
                    acc = SequenceTrainer.TrainStep(model, opt, x, y, c.Batch, L, c.Clip).Accuracy;
                    progress.Report(++done, $"{name} step {step}");
                }
                var afterNorms = GradientProbe.HiddenGradientNorms(model, probeX, probeY, c.Batch, L);
                progress.Report(++done, name);
                var ts = Enumerable.Range(1, L).Select(t => (double)t).ToArray();
                chart.AddSeries($"{name} (init)", ts, before);
                if (steps > 0) chart.AddSeries($"{name} (after {steps} steps)", ts, afterNorms);
                for (int t = 0; t < L; t++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{name},init,{t + 1},{before[t]:R}\n");
                    if (steps > 0) csv.Append(CultureInfo.InvariantCulture, $"{name},trained,{t + 1},{afterNorms[t]:R}\n");
                }
                summary.Add(new JsonObject
                {
                    ["model"] = name,
                    ["init_first_over_last"] = before[0] / before[L - 1],
                    ["trained_first_over_last"] = steps > 0 ? afterNorms[0] / afterNorms[L - 1] : null,
                    ["train_accuracy_last_step"] = steps > 0 ? acc : null,
                });
            }
            AtomicFile.WriteAllText(Path.Combine(dir, "gradnorms.csv"), csv.ToString());
            run.SaveChart("gradnorms.svg", chart);
            var result = new JsonObject { ["task"] = baseConfig.Task, ["length"] = len, ["after_steps"] = steps, ["models"] = summary };
            run.WriteSummary(result);
            progress.Dispose();
            if (r.GetValue(o.Json)) Console.WriteLine(result.ToJsonString());
            else
            {
                foreach (var m in summary)
                    Console.WriteLine($"{m!["model"],-14} ‖∂L/∂h(1)‖ / ‖∂L/∂h({inputLength})‖ at init: {(double)m["init_first_over_last"]!:G3}" +
                        (steps > 0 ? $", after {steps} steps: {(double)m["trained_first_over_last"]!:G3}" : ""));
                Console.WriteLine($"results in {dir}");
            }
            return 0;
        });
        return cmd;
    }
}
