using SeqGraph.Experiments.Rnn;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Tests;

/// <summary>
/// Corrupted checkpoints through the real commands that load them (<c>text sample</c>, <c>graph
/// predict</c>, and <c>export</c> for an rnn model): each is exit 2 with one stderr line that names
/// the damaged file.
/// </summary>
public sealed class CheckpointCliErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private delegate void Corruption(string json, string tensors);

    private static void FlipByte(string path, double where)
    {
        var b = File.ReadAllBytes(path);
        b[(int)(b.Length * where)] ^= 0x20;
        File.WriteAllBytes(path, b);
    }

    private static void Truncate(string path, double fraction)
    {
        var b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(int)(b.Length * fraction)]);
    }

    private static void Edit(string path, string from, string to)
    {
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        SidecarEdits.WriteSealed(path, text.Replace(from, to));
    }

    /// <summary>(what, which file the line must name, the corruption).</summary>
    private static readonly (string What, bool Sidecar, Corruption Apply)[] Common =
    [
        ("a weight byte changed", false, (_, t) => FlipByte(t, 0.9)),
        ("the tensor header changed", false, (_, t) => FlipByte(t, 0.02)),
        ("the tensor file truncated", false, (_, t) => Truncate(t, 0.5)),
        ("a sidecar byte changed", true, (j, _) => FlipByte(j, 0.5)),
        ("the sidecar truncated", true, (j, _) => Truncate(j, 0.6)),
        ("a duplicate key", true, (j, _) => File.WriteAllText(j, File.ReadAllText(j).Replace("\"kind\":", "\"kind\": 1, \"kind\":"))),
        ("invalid UTF-8", true, (j, _) => File.WriteAllBytes(j, [.. File.ReadAllBytes(j)[..^2], 0xC0, (byte)'\n'])),
        ("the tensors record removed", true, (j, _) => Edit(j, "\"tensors\": {", "\"tensors_gone\": {")),
        ("a listed tensor name with a newline", true, (j, _) => Edit(j, "\"names\": [", "\"names\": [\"evil\\nname\",")),
        ("a version-2 file marked version 1", true, (j, _) => File.WriteAllText(j, File.ReadAllText(j).Replace("\"format_version\": 2", "\"format_version\": 1"))),
    ];

    private void AssertEachRefused(string original, (string What, bool Sidecar, Corruption Apply)[] corruptions, Func<string, string[]> command, string sub = "")
    {
        foreach (var (what, sidecar, apply) in corruptions)
        {
            string dir = _dir.File("case-" + Guid.NewGuid().ToString("N")[..8]);
            CopyFolder(original, dir);
            string json = Path.Combine(dir, sub, Checkpoint.SidecarFileName), tensors = Path.Combine(dir, sub, Checkpoint.TensorsFileName);
            apply(json, tensors);
            var (code, output, err) = CliTests.Run(command(dir));
            Assert.True(code == 2, $"{what}: exit {code}, {err}");
            Assert.Equal("", output);
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"{what}: {err}");
            Assert.StartsWith("seqgraph: error: ", lines[0]);
            Assert.True(lines[0].Contains(sidecar ? json : tensors, StringComparison.Ordinal), $"{what}: {lines[0]}");
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (string d in Directory.GetDirectories(from)) CopyFolder(d, Path.Combine(to, Path.GetFileName(d)));
    }

    [Fact]
    public void TextSampleRefusesEachCorruptedCheckpointInOneLineNamingTheFile()
    {
        string original = CheckpointIntegrityTests.SaveText(_dir.File("text"));
        Assert.Equal(0, CliTests.Run("text", "sample", "--checkpoint", original, "--length", "5", "--seed", "1").Code);
        AssertEachRefused(original,
        [
            .. Common,
            ("sizes that do not fit the weights", false, (j, _) => Edit(j, "\"hidden\": 6", "\"hidden\": 12000")),
        ], dir => ["text", "sample", "--checkpoint", dir, "--length", "5", "--seed", "1"]);
    }

    [Fact]
    public void RnnExportRefusesEachCorruptedCheckpointInOneLineNamingTheFile()
    {
        string original = _dir.File("rnn");
        PyTorchExportTests.SaveClassifier(original, new RnnTrainConfig { Model = RecurrentModel.Lstm, Hidden = 4, Length = 3, Threads = 1 });
        AssertEachRefused(original,
        [
            .. Common[..4],
            ("sizes that do not fit the weights", false, (j, _) => Edit(j, "\"hidden\": 4", "\"hidden\": 5000")),
        ], dir => ["export", "--format", "pytorch", "--checkpoint", dir, "--out", Path.Combine(dir, "out.safetensors")]);
    }

    [Fact]
    public void GraphPredictRefusesEachCorruptedCheckpointInOneLineNamingTheFile()
    {
        string data = _dir.File("small"), run = _dir.File("run");
        GraphDataTests.WriteSmallGraph(data, perClass: 10, unlabelled: 0);
        var (code, _, err) = CliTests.Run("graph", "train", "--data", data, "--epochs", "2", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        AssertEachRefused(run,
        [
            .. Common[..4],
            ("sizes that do not fit the weights", false, (j, _) => Edit(j, "\"features\": 6", "\"features\": 900000")),
        ], dir => ["graph", "predict", "--run", dir, "--out", Path.Combine(dir, "p.csv")], sub: "seed-0");
    }
}
