using System.Text;

namespace SeqGraph.Tests;

/// <summary>
/// What export and import do with outputs and inputs a user gets wrong: the checkpoint being read is
/// never overwritten, a failed PyTorch export leaves no half pair, a moved-on graph is refused,
/// foreign files are named for what they are — one error line, exit 2, every time.
/// </summary>
public sealed class ExportInputTests : IClassFixture<TextRunFixture>
{
    private readonly TextRunFixture _text;

    public ExportInputTests(TextRunFixture text) => _text = text;

    private static void AssertError((int Code, string Out, string Err) r, params string[] parts)
    {
        CliTests.AssertOneErrorLine(r.Code, r.Err, parts[0]);
        foreach (var p in parts[1..]) Assert.Contains(p, r.Err);
    }

    private string CopyOfRun(TempDir dir)
    {
        string copy = dir.File("run");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(_text.Run)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    [Fact]
    public void EvenForceNeverOverwritesTheCheckpointBeingExported()
    {
        using var dir = new TempDir();
        string run = CopyOfRun(dir);
        byte[] tensors = File.ReadAllBytes(Path.Combine(run, "model.safetensors")), sidecar = File.ReadAllBytes(Path.Combine(run, "model.json"));
        AssertError(CliTests.Run("export", "--checkpoint", run, "--format", "pytorch", "--out", Path.Combine(run, "model.safetensors"), "--force"), "--out", "the checkpoint's own model.safetensors");
        // the description of x/model would be x/model.json
        AssertError(CliTests.Run("export", "--checkpoint", run, "--format", "pytorch", "--out", Path.Combine(run, "model"), "--force"), "--out", "the checkpoint's own model.json");
        AssertError(CliTests.Run("export", "--checkpoint", run, "--out", Path.Combine(run, "model.json"), "--force"), "--out");
        Assert.Equal(tensors, File.ReadAllBytes(Path.Combine(run, "model.safetensors")));
        Assert.Equal(sidecar, File.ReadAllBytes(Path.Combine(run, "model.json")));
        Assert.Equal(0, CliTests.Run("text", "sample", "--checkpoint", run, "--length", "5").Code);
    }

    [Fact]
    public void APyTorchExportWhoseDescriptionCannotBeWrittenLeavesNoStateDict()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("x.json"));
        AssertError(CliTests.Run("export", "--checkpoint", _text.Run, "--format", "pytorch", "--out", dir.File("x.safetensors")), "--out", "x.json", "is a folder");
        Assert.False(File.Exists(dir.File("x.safetensors")));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void OutputsInAMissingFolderOrWithTheOtherFormatsExtensionAreRefused()
    {
        using var dir = new TempDir();
        AssertError(CliTests.Run("export", "--checkpoint", _text.Run, "--out", dir.File(Path.Combine("nope", "m.onnx"))), "--out", "folder", "does not exist");
        AssertError(CliTests.Run("export", "--checkpoint", _text.Run, "--format", "pytorch", "--out", dir.File("m.pt")), "--out", "safetensors", "torch.load");
        AssertError(CliTests.Run("export", "--checkpoint", _text.Run, "--out", dir.File("m.safetensors")), "--out", ".onnx");
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ADuplicateKeyInModelJsonNamesTheFile()
    {
        using var dir = new TempDir();
        string run = CopyOfRun(dir);
        string json = Path.Combine(run, "model.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"kind\": \"char-lstm\"", "\"kind\": \"char-lstm\", \"kind\": \"toaster\""));
        AssertError(CliTests.Run("export", "--checkpoint", run), "model.json", "duplicate key 'kind' at byte");
    }

    [Fact]
    public void AGraphWhoseEdgesChangedSinceTrainingIsNotExported()
    {
        using var dir = new TempDir();
        string data = dir.File("cora"), run = dir.File("gcn");
        Directory.CreateDirectory(data);
        foreach (var f in Directory.GetFiles(CoraLoaderTests.CoraDir)) File.Copy(f, Path.Combine(data, Path.GetFileName(f)));
        Assert.Equal(0, CliTests.Run("graph", "train", "--data", data, "--epochs", "2", "--seeds", "0", "--out", run).Code);
        Assert.Equal(0, CliTests.Run("export", "--checkpoint", run, "--out", dir.File("before.onnx")).Code);
        string cites = Path.Combine(data, "cora.cites");
        File.WriteAllLines(cites, File.ReadAllLines(cites).Take(2000));
        AssertError(CliTests.Run("export", "--checkpoint", run, "--out", dir.File("after.onnx")), "cora", "is not the one the model", "was trained on");
        Assert.False(File.Exists(dir.File("after.onnx")));
    }

    [Fact]
    public void ForeignStateDictsAndDescriptionsAreNamedForWhatTheyAre()
    {
        using var dir = new TempDir();
        string pt = dir.File("model.pt");
        File.WriteAllBytes(pt, Encoding.ASCII.GetBytes("PK\u0003\u0004archive/data.pkl"));
        File.Copy(PyTorchFixtures.TorchJson, dir.File("model.json"));
        AssertError(CliTests.Run("import", "--format", "pytorch", "--state-dict", pt, "--out", dir.File("a")), "model.pt", "torch.save", "safetensors.torch.save_file");
        AssertError(CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchJson, "--config", PyTorchFixtures.TorchJson, "--out", dir.File("b")), "a JSON file", "--config");

        string json = dir.File("typo.json");
        File.WriteAllText(json, File.ReadAllText(PyTorchFixtures.TorchJson).Replace("\"dropout\"", "\"dropuot\""));
        AssertError(CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchStateDict, "--config", json, "--out", dir.File("c")), "typo.json", "unknown key \"modules.lstm.dropuot\"");
        File.WriteAllText(json, File.ReadAllText(PyTorchFixtures.TorchJson).Replace("\"hidden_size\": 16", "\"hidden_size\": 536870912"));
        AssertError(CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchStateDict, "--config", json, "--out", dir.File("d")), "typo.json", "too large");
        Assert.False(Directory.Exists(dir.File("a")) || Directory.Exists(dir.File("b")) || Directory.Exists(dir.File("c")) || Directory.Exists(dir.File("d")));
    }

    [Fact]
    public void FineTuningAnImportSaysWhichCorpusItNeeds()
    {
        using var dir = new TempDir();
        string imported = dir.File("imported");
        Assert.Equal(0, CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchStateDict, "--out", imported).Code);
        AssertError(CliTests.Run("text", "train", "--resume", imported, "--out", dir.File("ft"), "--steps", "5"), "--corpus", "imported");
        string corpus = dir.File("other.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));
        AssertError(CliTests.Run("text", "train", "--resume", imported, "--corpus", corpus, "--out", dir.File("ft"), "--steps", "5"),
            "other.txt", "exactly the model's characters", "not in the model: \"u\"");
    }
}
