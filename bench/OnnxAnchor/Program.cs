// ONNX Runtime as a second speed anchor for SeqGraph (issue 13): the char-LSTM exported by
// SeqGraph.Interop.Onnx and run in ONNX Runtime from C#, against SeqGraph's own code, same weights,
// same thread count, in one process.
//
//   dotnet run -c Release --project bench/OnnxAnchor -- [--hidden 128 512] [--threads 1 2] [--rounds 3]
//       [--repeats 5] [--chars N] [--train-steps 10] [--corpus FILE] [--quick] [--json]
//       [--side both|seqgraph|ort]
//
// --side both (default) alternates the sides A B A B within the process, `rounds` times per hidden
// size and thread count, and prints medians, spreads and the median of same-round ratios (SeqGraph
// speed / ORT speed; > 1: SeqGraph faster). --side seqgraph|ort measures one side once and prints
// one JSON line (bench/compare.py alternates such processes); the ORT side then also checks its
// greedy text and logits against SeqGraph's, untimed. Every run checks that the greedy text of both
// sides is the same, character for character, and reports the batched forward's max |Δ logit|.
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OnnxAnchor;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var hidden = new List<int> { 128, 512 };
var threads = new List<int> { 1, 2 };
int? rounds = null, repeats = null, chars = null;
int trainSteps = 10;
string side = "both";
string corpus = Path.Combine("..", "shared", "data", "books", "grimms_fairy_tales.txt");
bool json = false, quick = false;

try
{
    for (int i = 0; i < args.Length; i++)
    {
        string a = args[i];
        List<int> Ints()
        {
            var list = new List<int>();
            while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) list.Add(Positive(a, args[++i]));
            if (list.Count == 0) throw new ArgumentException($"{a}: give at least one value");
            return list;
        }
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a}: missing value");
        switch (a)
        {
            case "--hidden": hidden = Ints(); break;
            case "--threads": threads = Ints(); break;
            case "--rounds": rounds = Positive(a, Value()); break;
            case "--repeats": repeats = Positive(a, Value()); break;
            case "--chars": chars = Positive(a, Value()); break;
            case "--train-steps": trainSteps = int.TryParse(Value(), out int s) && s >= 0 ? s : throw new ArgumentException($"{a}: expected a whole number ≥ 0"); break;
            case "--corpus": corpus = Value(); break;
            case "--side": side = Value() is "both" or "seqgraph" or "ort" ? args[i] : throw new ArgumentException($"{a}: expected both, seqgraph or ort, got '{args[i]}'"); break;
            case "--json": json = true; break;
            case "--quick": quick = true; break;
            default: throw new ArgumentException($"unknown option '{a}'");
        }
    }
    if (!File.Exists(corpus)) throw new ArgumentException($"--corpus: {corpus}: no such file");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"onnx-anchor: error: {e.Message}");
    return 2;
}
int roundCount = side == "both" ? rounds ?? (quick ? 1 : 3) : 1;
int repeatCount = repeats ?? (quick ? 3 : 5);
int Chars(int h) => chars ?? (h <= 128 ? (quick ? 5000 : 20000) : (quick ? 1000 : 3000));

string ortVersion = OrtEnv.Instance().GetVersionString();
var rows = new List<Row>();
var checks = new List<string>();
var started = DateTime.UtcNow;
string loadBefore = LoadAverage();
int vocabulary = 0;
foreach (int h in hidden)
{
    using var model = new AnchorModel(corpus, h, trainSteps);
    vocabulary = model.Vocabulary;
    foreach (int t in threads)
    {
        if (side != "both")
        {
            var f = side == "seqgraph" ? Sides.SeqGraph(model, t, Chars(h), repeatCount) : Sides.Ort(model, t, Chars(h), repeatCount);
            var line = new Dictionary<string, object>
            {
                ["side"] = side, ["hidden"] = h, ["threads"] = t, ["chars"] = Chars(h),
                ["sample chars/s"] = Math.Round(f.SampleCharsPerSecond, 1), ["forward chars/s"] = Math.Round(f.ForwardCharsPerSecond, 1),
            };
            if (side == "ort")
            {
                var reference = Sides.SeqGraph(model, t, Chars(h), 1);
                line["greedy text first difference"] = FirstDifference(reference.Text, f.Text);
                line["forward max abs diff"] = MaxAbsDiff(reference.Logits, f.Logits);
                line["onnxruntime"] = ortVersion;
            }
            Console.WriteLine(JsonSerializer.Serialize(line));
            continue;
        }
        var ours = new List<Figures>();
        var theirs = new List<Figures>();
        for (int r = 0; r < roundCount; r++)   // A B A B …
        {
            ours.Add(Sides.SeqGraph(model, t, Chars(h), repeatCount));
            theirs.Add(Sides.Ort(model, t, Chars(h), repeatCount));
            int diff = FirstDifference(ours[^1].Text, theirs[^1].Text);
            double dmax = MaxAbsDiff(ours[^1].Logits, theirs[^1].Logits);
            checks.Add($"hidden {h}, {t} thread(s), round {r + 1}: greedy text of {Chars(h):N0} chars " +
                       (diff < 0 ? "identical" : $"**differs from character {diff}**") + $"; batched forward max |Δ logit| {dmax:0.##e+0}");
            Console.Error.WriteLine($"  hidden {h} threads {t} round {r + 1}: sampling {ours[^1].SampleCharsPerSecond:N0} | {theirs[^1].SampleCharsPerSecond:N0} chars/s, " +
                                    $"forward {ours[^1].ForwardCharsPerSecond:N0} | {theirs[^1].ForwardCharsPerSecond:N0} chars/s; {checks[^1]}");
        }
        rows.Add(new Row("batch-1 greedy sampling", h, t, ours.Select(x => x.SampleCharsPerSecond).ToArray(),
            theirs.Select(x => x.SampleCharsPerSecond).ToArray(), h == 128 ? 3.0 : null));
        rows.Add(new Row($"batched forward B={Sides.Batch}, T={Sides.Steps}", h, t, ours.Select(x => x.ForwardCharsPerSecond).ToArray(),
            theirs.Select(x => x.ForwardCharsPerSecond).ToArray(), 1.0));
    }
}
if (side != "both") return 0;

if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(new { onnxruntime = ortVersion, rows, checks }));
    return 0;
}
string cpu = File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
    : "?";
Console.WriteLine($"Run of {started:yyyy-MM-dd HH:mm} UTC: `dotnet run -c Release --project bench/OnnxAnchor --{(quick ? " --quick" : "")}` " +
                  $"({roundCount} round(s), sides alternating A B A B in one process; each figure the median over rounds of a median of {repeatCount} repetitions).");
Console.WriteLine();
Console.WriteLine($"Machine: {cpu}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; " +
                  $".NET {Environment.Version}; ONNX Runtime {ortVersion} (Microsoft.ML.OnnxRuntime, CPU execution provider) with intra-op threads = " +
                  $"SeqGraph's thread count, inter-op 1, sequential execution, all graph optimizations, inputs and outputs bound once to preallocated " +
                  $"buffers (OrtValue over managed arrays, IOBinding). Model: char-LSTM, 2 layers, embedding 64, vocabulary {vocabulary} ({Path.GetFileName(corpus)}), " +
                  $"{trainSteps} training steps; ONNX from SeqGraph's exporter. Load average before: {loadBefore}, after: {LoadAverage()}.");
Console.WriteLine();
Console.WriteLine("Ratio = SeqGraph chars/s / ONNX Runtime chars/s (median of same-round ratios); > 1 means SeqGraph is faster. Spread is min–max over rounds.");
Console.WriteLine();
Console.WriteLine("| workload | hidden | threads | SeqGraph chars/s (spread) | ONNX Runtime chars/s (spread) | ratio | target |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
foreach (var r in rows)
{
    double ratio = Sides.Median(r.Ours.Zip(r.Theirs, (a, b) => a / b));
    string target = r.Target is double tg ? $"≥ {tg:g}× " + (ratio >= tg ? "met" : "**not met**") : "";
    Console.WriteLine($"| {r.Workload} | {r.Hidden} | {r.Threads} | {Sides.Median(r.Ours):N0} ({r.Ours.Min():N0}–{r.Ours.Max():N0}) | " +
                      $"{Sides.Median(r.Theirs):N0} ({r.Theirs.Min():N0}–{r.Theirs.Max():N0}) | {ratio:0.00} | {target} |");
}
Console.WriteLine();
foreach (var c in checks) Console.WriteLine($"- {c}");
return 0;

static int Positive(string option, string value) =>
    int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new ArgumentException($"{option}: expected a positive whole number, got '{value}'");

static int FirstDifference(int[] a, int[] b)
{
    if (a.Length != b.Length) return Math.Min(a.Length, b.Length);
    for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return i;
    return -1;
}

static double MaxAbsDiff(float[] a, float[] b)
{
    double m = 0;
    for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
    return m;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

/// <summary>One table row: a workload at one hidden size and thread count, figures per round.</summary>
internal sealed record Row(string Workload, int Hidden, int Threads, double[] Ours, double[] Theirs, double? Target);
