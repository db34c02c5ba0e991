using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Reporting;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// Gathers a sweep's trials from their folders: <c>results.csv</c> (one row per finished trial: its
/// number, its grid values, its state, then every number, flag and name of its summary.json, nested
/// objects as <c>a.b</c>), the charts (a metric against the first numeric axis other than the seed,
/// one series per value of the other axes, mean ± sample std over the seeds), <c>summary.json</c>
/// (<see cref="SweepResult"/>: which trials are not done and why) and each trial's state in sweep.json.
/// Missing and failed trials are left out of the rows and named in the summary. Timings (keys
/// <c>seconds</c>, <c>*_seconds</c>, <c>seconds_*</c>, <c>*per_second*</c>) and the thread count are left
/// out of results.csv, so it depends only on the grid, not on where or how fast the trials ran.
/// </summary>
public static class SweepCollection
{
    /// <summary>Collects the sweep in <paramref name="folder"/> (whose writer the caller holds).</summary>
    /// <param name="folder">The sweep folder.</param>
    /// <param name="spec">Its spec (with this call's submission, if any).</param>
    /// <param name="submission">The submission the caller made, or null.</param>
    /// <param name="interrupted">The caller was stopped before its trials ended.</param>
    /// <param name="writeResults">False for a submission that has not run anything yet: only sweep.json and summary.json.</param>
    public static SweepResult Collect(RunFolder folder, SweepSpec spec, SweepSubmission? submission, bool interrupted, bool writeResults = true)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(spec);
        using var writing = folder.Hold("sweep collect");
        var states = SweepFolder.StatusAll(folder.Path, spec);
        SweepFolder.WriteSpec(folder, spec, states);
        var finished = states.Where(s => s.Finished && s.Summary is not null).ToList();
        var columns = Columns(spec, finished);
        var points = new List<SweepPoint>();
        if (writeResults)
        {
            folder.WriteText(SweepFolder.ResultsFileName, ResultsCsv(spec, finished, columns));
            foreach (var chart in Charts(spec, columns))
                points.AddRange(SaveChart(folder, spec, finished, chart));
        }
        var diverged = finished.FirstOrDefault(s => s.State == TrialState.Diverged);
        Divergence? first = null;
        if (diverged?.Summary?["diverged"] is JsonObject d)
            first = new Divergence((int?)(d["step"] as JsonValue) ?? 0, (string?)(d["what"] as JsonValue) ?? "",
                $"trial {diverged.Trial.Number} ({diverged.Trial.Label}): {(string?)(d["message"] as JsonValue) ?? "diverged"}");
        var result = new SweepResult(spec.Command, SweepGrid.Describe(spec.Grid), states.Count, SweepCounts.Of(states),
            states.Where(s => s.State != TrialState.Done).Select(s => new SweepTrialNote(s.Trial.Number, s.Trial.Label, s.State, s.Note, s.Record?.ExitCode)).ToList(),
            points, submission, interrupted, first);
        folder.WriteSummary(result);
        return result;
    }

    /// <summary>The chart axis and metrics of one chart.</summary>
    private sealed record ChartPlan(string File, string Metric, string Title, string YLabel, bool LabelPartial, SweepAxis X);

    /// <summary>
    /// results.csv's columns after trial, the axes and state: every summary key of the finished
    /// trials, first seen first. A key that is null in every trial is left out (<c>diverged</c> when
    /// none diverged), unless a chart is drawn from it (<c>steps_to_converge</c> when none converged).
    /// </summary>
    private static List<string> Columns(SweepSpec spec, List<TrialStatus> finished)
    {
        var taken = new HashSet<string>(spec.Grid.Select(a => a.Name.Replace('-', '_')), StringComparer.Ordinal) { "trial", "state", "interrupted" };
        var charted = spec.Command == "rnn train" ? new HashSet<string>(StringComparer.Ordinal) { "test_accuracy", "steps_to_converge" } : [];
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valued = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in finished)
            foreach (var (key, value) in Flatten(s.Summary!))
            {
                if (value is not null) valued.Add(key);
                if (!taken.Contains(key) && !IsTiming(key) && seen.Add(key)) columns.Add(key);
            }
        return columns.Where(c => valued.Contains(c) || charted.Contains(c)).ToList();
    }

    /// <summary>True for a key that measures time or says how the run was spread over threads.</summary>
    public static bool IsTiming(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string last = key[(key.LastIndexOf('.') + 1)..];
        return last is "seconds" or "threads" || last.EndsWith("_seconds", StringComparison.Ordinal)
            || last.StartsWith("seconds_", StringComparison.Ordinal) || last.Contains("per_second", StringComparison.Ordinal);
    }

    /// <summary>
    /// The scalars of a summary: numbers, flags, strings and nulls (a run that did not converge has
    /// <c>steps_to_converge: null</c>; its column and chart still exist), nested objects as <c>a.b</c>
    /// (arrays left out: per-seed lists live in the trial's folder).
    /// </summary>
    private static IEnumerable<(string Key, JsonValue? Value)> Flatten(JsonObject o, string prefix = "")
    {
        foreach (var (key, node) in o)
        {
            string name = prefix + key;
            if (node is null) yield return (name, null);
            else if (node is JsonValue v) yield return (name, v);
            else if (node is JsonObject inner)
                foreach (var x in Flatten(inner, name + ".")) yield return x;
        }
    }

    private static string ResultsCsv(SweepSpec spec, List<TrialStatus> finished, List<string> columns)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { "trial" }.Concat(spec.Grid.Select(a => a.Name.Replace('-', '_'))).Append("state").Concat(columns).Select(Csv)).Append('\n');
        foreach (var s in finished)
        {
            var values = Flatten(s.Summary!).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
            var cells = new List<string> { s.Trial.Number.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(spec.Grid.Select(a => s.Trial.Values[a.Name]));
            cells.Add(s.State == TrialState.Diverged ? "diverged" : "done");
            cells.AddRange(columns.Select(c => values.TryGetValue(c, out var v) ? Cell(v) : ""));
            sb.AppendJoin(',', cells.Select(Csv)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A summary value as a cell: numbers as written (shortest round-trip form), flags as 1/0, strings as they are.</summary>
    private static string Cell(JsonValue? v) => v is null ? "" : v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => "1",
        System.Text.Json.JsonValueKind.False => "0",
        System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => v.ToJsonString(),
    };

    private static string Csv(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The charts: against the first axis (not the seed) whose values are all numbers and that has
    /// more than one; rnn train shows test accuracy and steps to converge (as <c>rnn sweep</c> always
    /// has), any other command its first of test accuracy, validation bits per character, validation loss.
    /// </summary>
    private static List<ChartPlan> Charts(SweepSpec spec, List<string> columns)
    {
        var x = spec.Grid.FirstOrDefault(a => a.Name != "seed" && a.Values.Count > 1 && a.Values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
        if (x is null) return [];
        string xName = x.Name.Replace('-', '_');
        var plans = new List<ChartPlan>();
        if (spec.Command == "rnn train")
        {
            plans.Add(new($"accuracy_vs_{xName}.svg", "test_accuracy", $"Test accuracy vs {x.Name}", "test accuracy", false, x));
            plans.Add(new($"steps_vs_{xName}.svg", "steps_to_converge", $"Steps to converge vs {x.Name}", "steps to converge (mean of converged runs)", true, x));
        }
        else
        {
            foreach (var (metric, file, label) in new[] { ("test_accuracy_mean", "accuracy", "test accuracy"), ("test_accuracy", "accuracy", "test accuracy"),
                         ("best_val_bpc", "bpc", "best validation bits per character"), ("val_bpc", "bpc", "validation bits per character"), ("val_loss", "loss", "validation loss") })
                if (columns.Contains(metric))
                {
                    plans.Add(new($"{file}_vs_{xName}.svg", metric, $"{char.ToUpperInvariant(label[0])}{label[1..]} vs {x.Name}", label, false, x));
                    break;
                }
        }
        return plans.Where(p => columns.Contains(p.Metric)).ToList();
    }

    /// <summary>
    /// Draws one chart and returns its points: one series per combination of the values of the axes
    /// other than x and the seed, each point the mean ± sample std over the trials that share it
    /// (NaN, empty and non-numeric cells left out; with <see cref="ChartPlan.LabelPartial"/> a point
    /// only some trials contribute to is labelled "k/n"). A title gets " — task" when every trial has the same task.
    /// </summary>
    private static List<SweepPoint> SaveChart(RunFolder folder, SweepSpec spec, List<TrialStatus> finished, ChartPlan plan)
    {
        var others = spec.Grid.Where(a => a != plan.X && a.Name != "seed").ToList();   // a one-value axis names the series too: "rnn", as rnn sweep always printed it
        string Series(SweepTrial t) => others.Count switch
        {
            0 => "",
            1 => t.Values[others[0].Name],
            _ => string.Join(" ", others.Select(a => $"{a.Name}={t.Values[a.Name]}")),
        };
        var tasks = finished.Select(s => (s.Summary!["task"] as JsonValue)?.ToString()).Distinct().ToList();
        string title = plan.Title + (tasks is [{ } task] ? $" — {task}" : "");
        var chart = new SvgChart(title, plan.X.Name == "length" ? "sequence length T" : plan.X.Name, plan.YLabel) { Markers = true };
        var points = new List<SweepPoint>();
        // series in the grid's order of their values, x in the axis's order
        var seriesOrder = spec.TrialList().Select(Series).Distinct().ToList();
        foreach (string series in seriesOrder)
        {
            var xs = new List<double>();
            var means = new List<double>();
            var stds = new List<double>();
            var labels = new List<string?>();
            foreach (string xv in plan.X.Values)
            {
                var at = finished.Where(s => Series(s.Trial) == series && s.Trial.Values[plan.X.Name] == xv).ToList();
                if (at.Count == 0) continue;
                var values = at.Select(s => Number(s.Summary!, plan.Metric)).ToList();
                var finite = values.Where(double.IsFinite).ToList();
                var (mean, std) = Statistics.MeanStd(finite);
                double x = double.Parse(xv, NumberStyles.Float, CultureInfo.InvariantCulture);
                points.Add(new SweepPoint(plan.Metric, series, plan.X.Name, x, mean, std, finite.Count, at.Count));
                xs.Add(x);
                means.Add(mean);
                stds.Add(std);
                labels.Add(plan.LabelPartial && finite.Count > 0 && finite.Count < at.Count ? $"{finite.Count}/{at.Count}" : null);
            }
            if (xs.Count > 0) chart.AddSeries(series.Length == 0 ? plan.Metric.Replace('_', ' ') : series, xs.ToArray(), means.ToArray(), stds.ToArray(), labels.ToArray());
        }
        folder.SaveChart(plan.File, chart);
        return points;
    }

    /// <summary>A summary's number at a flattened key, NaN when missing, null or not a number.</summary>
    private static double Number(JsonObject summary, string key)
    {
        foreach (var (k, v) in Flatten(summary))
            if (k == key)
                return v is null ? double.NaN : v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? v.GetValue<double>()
                    : v.GetValueKind() == System.Text.Json.JsonValueKind.String && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
                    : double.NaN;
        return double.NaN;
    }
}
