using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Reporting;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph rnn sweep</c>: accuracy and steps to converge versus sequence length, over seeds.</summary>
internal static class RnnSweep
{
    public static Command Create()
    {
        var o = new RnnOptions();
        var models = new Option<string>("--models") { Description = "Comma-separated models", DefaultValueFactory = _ => "rnn,lstm" };
        var lengths = new Option<string>("--lengths") { Description = "Lengths: 5:40:5 (start:stop:step), 5..8, or 5,10,20", DefaultValueFactory = _ => "5:40:5" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: 0,1,2 or 0..2", DefaultValueFactory = _ => "0,1,2" };
        var output = RnnCommand.OutOption("results.csv, plots, summary.json and per-run metrics");
        var cmd = new Command("sweep", "Train every model × length × seed and plot accuracy versus length") { models, lengths, seeds, output };
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var baseConfig = o.Read(r);
            var modelNames = Parse.Names("--models", r.GetValue(models)!, Parse.ModelNames);
            var lens = Parse.IntList("--lengths", r.GetValue(lengths)!);
            var seedList = Parse.IntList("--seeds", r.GetValue(seeds)!);
            if (seedList.Any(s => s < 0)) throw new UsageException("--seeds must be ≥ 0");
            foreach (int len in lens) RnnOptions.CheckLength(baseConfig.Task, len);
            string dir = r.GetValue(output) ?? Path.Combine("runs", $"sweep-{baseConfig.Task}");
            var run = RunFolder.Create(dir);
            var cfg = RnnOptions.ToJson(baseConfig, string.Join(",", modelNames));
            cfg.Remove("length");
            cfg.Remove("seed");
            cfg["models"] = new JsonArray(modelNames.Select(m => (JsonNode)m).ToArray());
            cfg["lengths"] = new JsonArray(lens.Select(x => (JsonNode)x).ToArray());
            cfg["seeds"] = new JsonArray(seedList.Select(x => (JsonNode)x).ToArray());
            run.WriteConfig(cfg);

            var rows = new List<(string Model, int Length, int Seed, SequenceTrainResult R)>();
            long total = (long)modelNames.Length * lens.Length * seedList.Length * baseConfig.Steps, doneBefore = 0;
            using (var progress = new ProgressLine("sweep", total, mayStopEarly: true))
            {
                for (int mi = 0; mi < modelNames.Length; mi++)
                    foreach (int len in lens)
                        foreach (int seed in seedList)
                        {
                            var (cell, bidi) = Parse.Model(modelNames[mi]);
                            var c = baseConfig with { Cell = cell, Bidirectional = bidi, Length = len, Seed = (ulong)seed };
                            string label = $"{modelNames[mi]} T={len} seed {seed}";
                            var res = RnnCommand.TrainInto(run, c, modelNames[mi], $"metrics_{modelNames[mi]}_T{len}_s{seed}.csv", label, charts: false,
                                onStep: step => progress.Report(doneBefore + step, label));
                            doneBefore += c.Steps;
                            progress.Report(doneBefore, $"{label}: test {res.TestAccuracy:F3}");
                            rows.Add((modelNames[mi], len, seed, res));
                            AtomicFile.WriteAllText(Path.Combine(dir, "results.csv"), ResultsCsv(rows)); // rewritten after every run: a crash keeps what finished
                        }
            }
            var summary = Summarise(baseConfig, modelNames, lens, rows);
            run.SaveChart("accuracy_vs_length.svg", Chart($"Test accuracy vs length — {baseConfig.Task}", "test accuracy", modelNames, lens, rows, x => x.TestAccuracy));
            run.SaveChart("steps_vs_length.svg", Chart($"Steps to converge vs length — {baseConfig.Task}", "steps to converge (mean of converged runs)", modelNames, lens, rows,
                x => x.StepsToConverge is int s ? s : double.NaN, labelPartial: true));
            run.WriteSummary(summary);
            if (r.GetValue(o.Json)) Console.WriteLine(summary.ToJsonString());
            else
            {
                foreach (var m in modelNames)
                    Console.WriteLine($"{m,-14} " + string.Join("  ", lens.Select(len =>
                    {
                        var (mean, std) = MeanStd(rows.Where(x => x.Model == m && x.Length == len).Select(x => x.R.TestAccuracy));
                        return $"T={len}: {mean:F3}±{std:F3}";
                    })));
                Console.WriteLine($"results in {dir}");
            }
            return 0;
        });
        return cmd;
    }

    private static string ResultsCsv(List<(string Model, int Length, int Seed, SequenceTrainResult R)> rows)
    {
        var sb = new System.Text.StringBuilder("model,length,seed,converged,steps_to_converge,steps,train_accuracy,test_accuracy,test_loss,seconds\n");
        foreach (var (m, len, seed, r) in rows)
            sb.Append(CultureInfo.InvariantCulture, $"{m},{len},{seed},{(r.Converged ? 1 : 0)},{r.StepsToConverge?.ToString(CultureInfo.InvariantCulture) ?? ""},{r.Steps},{r.TrainAccuracy:R},{r.TestAccuracy:R},{r.TestLoss:R},{r.Seconds:F3}\n");
        return sb.ToString();
    }

    /// <summary>
    /// Mean ± std per model and length of a per-run value (NaN values left out). With
    /// <paramref name="labelPartial"/> a point that only some runs contribute to is labelled
    /// "k/n", so a mean over one converged run of three is not read as the typical run.
    /// </summary>
    private static SvgChart Chart(string title, string yLabel, string[] models, int[] lens, List<(string Model, int Length, int Seed, SequenceTrainResult R)> rows,
        Func<SequenceTrainResult, double> pick, bool labelPartial = false)
    {
        var chart = new SvgChart(title, "sequence length T", yLabel) { Markers = true };
        foreach (var m in models)
        {
            var values = lens.Select(len => rows.Where(x => x.Model == m && x.Length == len).Select(x => pick(x.R)).ToList()).ToArray();
            var stats = values.Select(v => MeanStd(v.Where(double.IsFinite))).ToArray();
            string?[]? labels = labelPartial
                ? values.Select(v => v.Count(double.IsFinite) is var k && k > 0 && k < v.Count ? $"{k}/{v.Count}" : null).ToArray()
                : null;
            chart.AddSeries(m, lens.Select(l => (double)l).ToArray(), stats.Select(s => s.Mean).ToArray(), stats.Select(s => s.Std).ToArray(), labels);
        }
        return chart;
    }

    private static JsonObject Summarise(SequenceTrainConfig c, string[] models, int[] lens, List<(string Model, int Length, int Seed, SequenceTrainResult R)> rows)
    {
        var points = new JsonArray();
        foreach (var m in models)
            foreach (int len in lens)
            {
                var sel = rows.Where(x => x.Model == m && x.Length == len).Select(x => x.R).ToList();
                var (accMean, accStd) = MeanStd(sel.Select(x => x.TestAccuracy));
                var (stepMean, stepStd) = MeanStd(sel.Where(x => x.Converged).Select(x => (double)x.StepsToConverge!.Value));
                points.Add(new JsonObject
                {
                    ["model"] = m,
                    ["length"] = len,
                    ["runs"] = sel.Count,
                    ["converged"] = sel.Count(x => x.Converged),
                    ["test_accuracy_mean"] = accMean,
                    ["test_accuracy_std"] = accStd,
                    ["steps_to_converge_mean"] = double.IsFinite(stepMean) ? stepMean : null,
                    ["steps_to_converge_std"] = double.IsFinite(stepStd) ? stepStd : null,
                    ["seconds_mean"] = MeanStd(sel.Select(x => x.Seconds)).Mean,
                });
            }
        return new JsonObject { ["task"] = c.Task, ["runs"] = rows.Count, ["results"] = points };
    }

    /// <summary>Mean and population standard deviation (NaN for no values).</summary>
    internal static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }
}
