using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SeqGraph.Data;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary><c>seqgraph export</c> on the runs of <c>graph train</c>, as a user would run it.</summary>
public class OnnxGraphExportCliTests
{
    [Fact]
    public void ExportOfAGcnRunOnCoraWritesItsLowestSeedsModelAndOnnxRuntimeAgrees()
    {
        using var tmp = new TempDir();
        string run = tmp.File("gcn");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gcn", "--epochs", "4", "--seeds", "3,1", "--out", run);
        Assert.True(code == 0, err);

        (code, var output, err) = CliTests.Run("export", "--checkpoint", run, "--json");
        Assert.True(code == 0, err);
        string onnx = Path.Combine(run, "seed-1", "model.onnx");
        Assert.True(File.Exists(onnx), output);
        Assert.False(File.Exists(Path.Combine(run, "seed-3", "model.onnx")));
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("node-classifier", doc.RootElement.GetProperty("kind").GetString());
        var input = doc.RootElement.GetProperty("inputs").EnumerateArray().Single();
        Assert.Equal("x", input.GetProperty("name").GetString());
        Assert.Equal(new[] { "2708", "1433" }, input.GetProperty("shape").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(new FileInfo(onnx).Length, doc.RootElement.GetProperty("bytes").GetInt64());

        var saved = NodeCheckpoint.Load(Path.Combine(run, "seed-1"));
        var raw = CitationGraph.Load(CoraLoaderTests.CoraDir, normalizeFeatures: false);
        var asTrained = CitationGraph.Load(CoraLoaderTests.CoraDir);
        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(saved.ClassNames, JsonSerializer.Deserialize<string[]>(meta["class_names"]));
        Assert.Equal(raw.NodeIds, JsonSerializer.Deserialize<string[]>(meta["node_ids"]));
        var logits = OnnxGraphExportTests.RunOnnx(session, OnnxGraphExportTests.Dense(raw.Features), raw.NumNodes, raw.NumFeatures);
        float diff = OnnxGraphExportTests.MaxAbsDiff(logits, OnnxGraphExportTests.Forward(saved.Model, asTrained.Graph, asTrained.Features));
        Assert.True(diff <= 1e-5f, $"max |ONNX − SeqGraph| = {diff}");
    }

    [Fact]
    public void ExportOfAGatSeedFolderPrintsItsInputsOutputsAndNotes()
    {
        using var tmp = new TempDir();
        string data = OnnxGraphExportTests.WriteGraph(tmp.File("tiny"), weighted: true);
        string run = tmp.File("gat");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", data, "--model", "gat", "--epochs", "3", "--heads", "2", "--hidden", "4", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        string outFile = tmp.File("gat.onnx");
        (code, var output, err) = CliTests.Run("export", "--checkpoint", Path.Combine(run, "seed-0"), "--out", outFile);
        Assert.True(code == 0, err);
        Assert.Contains("GAT, 2 heads × 4 hidden", output);
        Assert.Contains("inputs:  x float [40, 12]", output);
        Assert.Contains("outputs: logits float [40, 3]", output);
        Assert.Contains("edge weights are ignored", output);

        var saved = NodeCheckpoint.Load(Path.Combine(run, "seed-0"));
        var raw = CitationGraph.Load(data, normalizeFeatures: false);
        var asTrained = CitationGraph.Load(data);
        using var session = new InferenceSession(outFile);
        var logits = OnnxGraphExportTests.RunOnnx(session, OnnxGraphExportTests.Dense(raw.Features), raw.NumNodes, raw.NumFeatures);
        Assert.True(OnnxGraphExportTests.MaxAbsDiff(logits, OnnxGraphExportTests.Forward(saved.Model, asTrained.Graph, asTrained.Features)) <= 1e-5f);
    }

    [Fact]
    public void ARunWhoseDataFolderIsGoneIsOneErrorLine()
    {
        using var tmp = new TempDir();
        string data = OnnxGraphExportTests.WriteGraph(tmp.File("tiny"), weighted: false);
        string run = tmp.File("run");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", data, "--epochs", "2", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        Directory.Delete(data, recursive: true);
        (code, _, err) = CliTests.Run("export", "--checkpoint", run);
        CliTests.AssertOneErrorLine(code, err, "does not exist here");
        Assert.False(File.Exists(Path.Combine(run, "seed-0", "model.onnx")));
    }

    [Fact]
    public void ADataFolderThatNoLongerFitsTheModelIsOneErrorLine()
    {
        using var tmp = new TempDir();
        string data = OnnxGraphExportTests.WriteGraph(tmp.File("tiny"), weighted: false);
        string run = tmp.File("run");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", data, "--epochs", "2", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        // one more feature column in every row
        string content = Path.Combine(data, "tiny.content");
        File.WriteAllLines(content, File.ReadAllLines(content).Select(l => l.Insert(l.IndexOf('\t'), "\t1")));
        (code, _, err) = CliTests.Run("export", "--checkpoint", run);
        CliTests.AssertOneErrorLine(code, err, "13 features per node, but the model was trained with 12");
        Assert.False(File.Exists(Path.Combine(run, "seed-0", "model.onnx")));
    }
}
