using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// A save replaces a checkpoint's two files as one: every state a process can die in leaves the old
/// pair or the whole new one, and the next save finishes or removes what was left. The states are
/// made by hand from two real saves (A the old, B the new), as a kill at each moment would leave them.
/// </summary>
public sealed class CheckpointPairTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Dir => _dir.File("ckpt");

    private static void SaveLabelled(string dir, string label, float value) =>
        Checkpoint.Save(dir, new Dictionary<string, Tensor> { ["w"] = Tensor.Full(value, 3) }, new JsonObject { ["label"] = label });

    private static string Label(string dir) => (string)Checkpoint.Load(dir).Sidecar["label"]!;

    /// <summary>A in the folder; B saved elsewhere, its files to be placed as a dying save of B leaves them.</summary>
    private (string Tensors, string Json) Prepare()
    {
        SaveLabelled(Dir, "A", 1f);
        string other = _dir.File("b");
        SaveLabelled(other, "B", 2f);
        return (Path.Combine(other, Checkpoint.TensorsFileName), Path.Combine(other, Checkpoint.SidecarFileName));
    }

    private string In(string name) => Path.Combine(Dir, name);

    [Fact]
    public void DeadBeforeTheNewSidecarIsWrittenTheOldPairIsTheCheckpoint()
    {
        var (tensors, _) = Prepare();
        File.Copy(tensors, In(Checkpoint.TensorsFileName + Checkpoint.NewSuffix));
        File.WriteAllText(In("." + Checkpoint.SidecarFileName + ".abc123.tmp"), "{\"half\": ");
        Assert.Equal("A", Label(Dir));
        SaveLabelled(Dir, "C", 3f);
        Assert.Equal("C", Label(Dir));
        Assert.Equal([Checkpoint.SidecarFileName, Checkpoint.TensorsFileName], Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DeadWithTheNewPairCompleteButNotRenamedTheNewPairIsTheCheckpoint()
    {
        var (tensors, json) = Prepare();
        File.Copy(tensors, In(Checkpoint.TensorsFileName + Checkpoint.NewSuffix));
        File.Copy(json, In(Checkpoint.SidecarFileName + Checkpoint.NewSuffix));
        Assert.Equal("B", Label(Dir));
        Assert.Equal(2f, Checkpoint.Load(Dir).Tensors["w"].Data[0]);
    }

    [Fact]
    public void DeadBetweenTheTwoRenamesTheNewPairIsTheCheckpointAndTheNextSaveFinishesIt()
    {
        var (tensors, json) = Prepare();
        // the new tensors renamed over the old ones, the old sidecar still in place: the two no longer match
        File.Copy(tensors, In(Checkpoint.TensorsFileName), overwrite: true);
        File.Copy(json, In(Checkpoint.SidecarFileName + Checkpoint.NewSuffix));
        Assert.Equal("B", Label(Dir));
        Checkpoint.Recover(Dir);
        Assert.Equal("B", (string)JsonNode.Parse(File.ReadAllText(In(Checkpoint.SidecarFileName)))!["label"]!);
        Assert.False(File.Exists(In(Checkpoint.SidecarFileName + Checkpoint.NewSuffix)));
        Assert.Equal("B", Label(Dir));
    }

    [Fact]
    public void ANewSidecarThatDoesNotCheckOutIsIgnoredByLoadAndRemovedBySave()
    {
        Prepare();
        File.WriteAllText(In(Checkpoint.SidecarFileName + Checkpoint.NewSuffix), "{\"format\": \"seqgraph-checkpoint\", \"format_version\": 1, \"tensors\": {\"bytes\": 1, \"sha256\": \"00\"}}");
        Assert.Equal("A", Label(Dir));
        Checkpoint.Recover(Dir);
        Assert.False(File.Exists(In(Checkpoint.SidecarFileName + Checkpoint.NewSuffix)));
        Assert.Equal("A", Label(Dir));
    }

    [Fact]
    public void ASaveLeavesOnlyTheTwoFiles()
    {
        SaveLabelled(Dir, "A", 1f);
        SaveLabelled(Dir, "B", 2f);
        Assert.Equal([Checkpoint.SidecarFileName, Checkpoint.TensorsFileName], Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("B", Label(Dir));
    }

    public void Dispose() => _dir.Dispose();
}
