using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Training;

namespace SeqGraph.Web;

/// <summary>
/// What the run list says of one run folder, read from what the commands write: the kind (from
/// the keys of <c>config.json</c>, the way <see cref="TextCheckpointFolder.Describe"/> tells them),
/// the key settings (from <c>config.json</c>), the main figure and the status (from
/// <c>summary.json</c>).
/// </summary>
public static class RunDescription
{
    /// <summary>The kinds of run, as the run list names them.</summary>
    public static readonly string[] Kinds = ["rnn train", "sweep", "rnn gradients", "text", "graph"];

    /// <summary>The run list's kind for a folder, or null when it is not a run folder the commands wrote.</summary>
    public static string? Kind(string folder) => File.Exists(Path.Combine(folder, "sweep.json")) ? "sweep" : TextCheckpointFolder.Describe(folder) switch
    {
        TextCheckpointFolder.TextRun => "text",
        "an rnn train run" => "rnn train",
        "an rnn gradients run" => "rnn gradients",
        "a graph train run" => "graph",
        _ => null,
    };

    /// <summary>
    /// "diverged" when the summary's <c>diverged</c> is set, else "finished" or "interrupted" from its <c>interrupted</c> flag; without a summary,
    /// "running" when a file of the run changed within <paramref name="window"/> of
    /// <paramref name="now"/>, else "failed" (the command stopped before it could write one).
    /// </summary>
    public static string Status(JsonObject? summary, DateTime newestWriteUtc, DateTime now, TimeSpan window)
    {
        if (summary is not null && Sweep(summary) is { } counts)
            return counts.Finished == counts.Trials ? "finished" : "incomplete";
        if (summary is not null)
            return summary["diverged"] is JsonObject ? "diverged" : summary["interrupted"] is JsonValue v && v.TryGetValue(out bool stopped) && stopped ? "interrupted" : "finished";
        return now - newestWriteUtc <= window ? "running" : "failed";
    }

    /// <summary>The settings shown in the run list for a run of <paramref name="kind"/>.</summary>
    public static JsonObject Settings(string kind, JsonObject? config)
    {
        string[] keys = kind switch
        {
            "rnn train" => ["model", "task", "length", "hidden", "steps", "seed"],
            "sweep" => [],
            "rnn gradients" => ["models", "task", "length", "hidden", "after_steps"],
            "text" => ["corpus", "hidden", "layers", "seq", "steps", "seed"],
            "graph" => ["model", "dataset", "hidden", "epochs", "seeds"],
            _ => [],
        };
        var settings = new JsonObject();
        if (config is null) return settings;
        if (kind == "sweep")
        {
            // the label: the swept command and its grid as --grid takes it
            if (config["command"] is JsonValue command) settings["command"] = command.DeepClone();
            if (config["grid"] is JsonArray grid)
                settings["grid"] = string.Join(" ", grid.OfType<JsonObject>().Select(a =>
                    $"{a["name"]}={string.Join(",", (a["values"] as JsonArray ?? []).Select(v => v?.ToString()))}"));
            return settings;
        }
        var train = config["train"] as JsonObject;   // config is an object: its indexer cannot throw
        foreach (string key in keys)
        {
            JsonNode? value = config[key] ?? train?[key];
            if (value is null) continue;
            if (key == "corpus" && value is JsonValue c && c.TryGetValue(out string? path)) value = Path.GetFileName(path);
            settings[key] = value.DeepClone();
        }
        return settings;
    }

    /// <summary>
    /// The main figure of a finished run: test accuracy (rnn train; graph, mean over seeds; sweep,
    /// mean over trials), validation bits per character (text), or the first model's gradient ratio
    /// ∂L/∂h(1) over ∂L/∂h(T) after training (gradients). Null without a summary.
    /// </summary>
    public static JsonObject? Figure(string kind, JsonObject? summary)
    {
        if (summary is null) return null;
        switch (kind)
        {
            case "rnn train":
                return Make("test accuracy", Number(summary["test_accuracy"]), null);
            case "graph":
                double? mean = Number(summary["test_accuracy_mean"]), std = Number(summary["test_accuracy_std"]);
                return Make("test accuracy", mean, mean is null ? null : string.Create(CultureInfo.InvariantCulture, $"{mean:0.000} ± {std ?? 0:0.000}"));
            case "sweep":
                // the mean of the chart's first metric over its points (each a mean over seeds), and how many trials finished
                var points = (summary["points"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                string? metric = points.Select(p => Field(p, "metric")?.ToString()).FirstOrDefault();
                var means = points.Where(p => Field(p, "metric")?.ToString() == metric).Select(p => Number(p["mean"])).OfType<double>().Where(double.IsFinite).ToList();
                double? value = means.Count > 0 ? means.Average() : null;
                string done = Sweep(summary) is { } c ? $"{c.Finished}/{c.Trials} trials" : "";
                return Make("mean " + (metric ?? "result").Replace('_', ' '), value,
                    (value is null ? "" : value.Value.ToString("0.0000", CultureInfo.InvariantCulture) + " · ") + done);
            case "text":
                return Make("val bpc", Number(summary["val_bpc"]) ?? Number(summary["best_val_bpc"]), null);
            case "rnn gradients":
                var first = (summary["models"] as JsonArray)?.FirstOrDefault();
                double? ratio = Number(Field(first, "trained_first_over_last"));
                string? model = Field(first, "model") is JsonValue m && m.TryGetValue(out string? name) ? name : null;
                return Make("∂h(1)/∂h(T) trained", ratio, ratio is null ? null : string.Create(CultureInfo.InvariantCulture, $"{model} {ratio:G3}"));
            default:
                return null;
        }
    }

    /// <summary>A sweep's summary.json: its trials and how many finished (done or diverged); null for any other summary.</summary>
    private static (int Trials, int Finished)? Sweep(JsonObject summary) =>
        summary["states"] is JsonObject states && Number(summary["trials"]) is double trials
            ? ((int)trials, (int)((Number(states["done"]) ?? 0) + (Number(states["diverged"]) ?? 0))) : null;

    private static JsonObject Make(string name, double? value, string? text) => new()
    {
        ["name"] = name,
        ["value"] = value,
        ["text"] = text ?? (value is null ? null : value.Value.ToString("0.0000", CultureInfo.InvariantCulture)),
    };

    // A field of an object; null when the node is no object (a malformed summary shows as missing).
    private static JsonNode? Field(JsonNode? node, string key) => node is JsonObject o ? o[key] : null;

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
