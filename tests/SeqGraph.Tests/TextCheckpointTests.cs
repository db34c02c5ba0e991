using SeqGraph.Data;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Tests;

public class TextCheckpointTests
{
    internal static string TinyCorpus(TempDir dir)
    {
        var path = dir.File("tiny.txt");
        var words = new[] { "the ", "king ", "had ", "a ", "daughter ", "who ", "was ", "fair.\n", "Once ", "upon ", "time " };
        var rng = new SeqGraph.Random.Rng(1);
        var sb = new System.Text.StringBuilder();
        while (sb.Length < 4000) sb.Append(words[rng.NextInt(words.Length)]);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static TextTrainConfig Config(string corpus, int steps) => new()
    {
        Corpus = corpus, Seq = 10, Batch = 8, Hidden = 16, Embed = 8, Layers = 2, Dropout = 0.2f, LrStep = 7,
        Steps = steps, LogEvery = 5, EvalEvery = 10, CheckpointEvery = 0, Seed = 42,
    };

    private static string[] Rows(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.csv"))
        .Select(l => string.Join(",", l.Split(',')[..^1])).ToArray(); // all columns but seconds

    [Fact]
    public void ResumedRunEqualsUninterruptedRunBitForBit()
    {
        using var dir = new TempDir();
        string corpusPath = TinyCorpus(dir);
        var corpus = TextCorpus.Load(corpusPath);
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");
        TextTraining.Train(new TextTrainer(Config(corpusPath, 30), corpus), RunFolder.Create(a));
        TextTraining.Train(new TextTrainer(Config(corpusPath, 13), corpus), RunFolder.Create(b));
        var resumed = TextCheckpoint.Resume(b, corpus, c => c with { Steps = 30 });
        Assert.Equal(13, resumed.Step);
        TextTraining.Train(resumed, RunFolder.Create(b));

        var rowsA = Rows(a);
        Assert.Equal(rowsA, Rows(b));
        Assert.True(rowsA.Length > 6);
        var wa = SeqGraph.IO.Safetensors.ReadTensors(Path.Combine(a, "model.safetensors"));
        var wb = SeqGraph.IO.Safetensors.ReadTensors(Path.Combine(b, "model.safetensors"));
        Assert.Equal(wa.Keys.Order(), wb.Keys.Order());
        foreach (var (k, t) in wa) Assert.Equal(t.Data, wb[k].Data);
        Assert.Contains("optim.exp_avg.lstm.weight_ih_l0", wa.Keys);
        Assert.Contains("head.weight", wa.Keys);
    }

    [Fact]
    public void TheBestValidationIsKeptInBestAndCarriedThroughAResume()
    {
        using var dir = new TempDir();
        string corpusPath = TextCheckpointTests.TinyCorpus(dir);
        var corpus = TextCorpus.Load(corpusPath);
        string run = dir.File("run");
        var first = TextTraining.Train(new TextTrainer(Config(corpusPath, 13), corpus), RunFolder.Create(run));
        var resumed = TextCheckpoint.Resume(run, corpus, c => c with { Steps = 40 });
        Assert.Equal(first.BestStep, resumed.Best!.Value.Step);
        Assert.Equal(first.BestValBpc, Math.Round(resumed.Best.Value.Loss / Math.Log(2), 6));
        var result = TextTraining.Train(resumed, RunFolder.Create(run));

        // the lowest val_bpc of metrics.csv (and of the first process's last validation) is the best, and best/ holds that model
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(',')).Where(c => c[5] != "")
            .Select(c => (Step: int.Parse(c[0]), Bpc: double.Parse(c[5], System.Globalization.CultureInfo.InvariantCulture)))
            .Append((Step: 13, Bpc: first.ValBpc!.Value)).ToList();
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(run, "metrics.csv")));
        var best = rows.MinBy(r => r.Bpc);
        Assert.Equal(best.Step, result.BestStep);
        Assert.Equal(Math.Round(best.Bpc, 6), result.BestValBpc!.Value, 6);
        string bestDir = Path.Combine(run, TextTraining.BestFolderName);
        var loaded = TextCheckpoint.LoadModel(bestDir);
        Assert.Equal(best.Step, loaded.Step);
        var again = TextEvaluator.Evaluate(loaded.Model, corpus, corpus.ValidationBlocks);
        Assert.Equal(result.BestValBpc!.Value, Math.Round(again.BitsPerCharacter, 6), 6);
        Assert.Equal(40, TextCheckpoint.LoadModel(run).Step); // the run's own checkpoint stays the latest

        // resumed into another folder, the best model so far comes along
        string other = dir.File("other");
        var more = TextTraining.Resume(run, c => c with { Steps = 41, EvalEvery = 0 }, RunFolder.Create(other));
        var carried = TextCheckpoint.LoadModel(Path.Combine(other, TextTraining.BestFolderName));
        Assert.True(carried.Step == best.Step || carried.Step == 41, $"best/ holds step {carried.Step}");
        Assert.Equal(carried.Step, more.BestStep);
    }

    [Fact]
    public void ACheckpointFromBeforeTheBlockSplitResumesWithTheTailSplitBitForBit()
    {
        using var dir = new TempDir();
        string corpusPath = TinyCorpus(dir);
        var legacy = Config(corpusPath, 30) with { ValidationSplit = ValidationSplit.Tail, KeepGutenberg = true };
        var corpus = TextCorpus.Load(corpusPath, legacy.CorpusOptions());
        string a = dir.File("a"), b = dir.File("b");
        TextTraining.Train(new TextTrainer(legacy, corpus), RunFolder.Create(a));
        TextTraining.Train(new TextTrainer(legacy with { Steps = 13 }, corpus), RunFolder.Create(b));
        // what a checkpoint written before these settings existed holds
        string json = Path.Combine(b, "model.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        var train = node["train"]!.AsObject();
        foreach (var key in new[] { "encoding", "keep_gutenberg", "validation_split", "validation_block" }) Assert.True(train.Remove(key), key);
        Assert.True(node.Remove("best"));
        SidecarEdits.WriteVersion1(json, node); // and saved before the sidecar's own hash (format version 2)

        TextTraining.Resume(b, c => c with { Steps = 30 }, RunFolder.Create(b));
        Assert.Equal(Rows(a), Rows(b));
        var config = RunJson.Read<TextTraining.RunConfig>(Path.Combine(b, "config.json"));
        Assert.Equal(ValidationSplit.Tail, config.ValidationSplit);
        Assert.True(config.KeepGutenberg);
        Assert.Equal(new[] { "--steps: 13 → 30" }, config.ChangedOnResume);
    }

    [Fact]
    public void CheckpointRoundTripsTheModel()
    {
        using var dir = new TempDir();
        string corpusPath = TinyCorpus(dir);
        var trainer = new TextTrainer(Config(corpusPath, 3), TextCorpus.Load(corpusPath));
        trainer.TrainStep();
        TextCheckpoint.Save(trainer, dir.Path, 1.5);
        var loaded = TextCheckpoint.LoadModel(dir.Path);
        Assert.Equal(1, loaded.Step);
        Assert.Equal(trainer.Corpus.Vocabulary, loaded.Vocabulary);
        foreach (var (name, p) in trainer.Model.NamedParameters())
            Assert.Equal(p.Data, loaded.Model.StateDict()[name].Data);
    }

    [Fact]
    public void TruncatedOrEditedCheckpointIsAClearError()
    {
        using var dir = new TempDir();
        string corpusPath = TinyCorpus(dir);
        var trainer = new TextTrainer(Config(corpusPath, 3), TextCorpus.Load(corpusPath));
        trainer.TrainStep();
        string ck = Path.Combine(dir.Path, "ck");
        TextCheckpoint.Save(trainer, ck, 1);
        string json = Path.Combine(ck, "model.json"), st = Path.Combine(ck, "model.safetensors");
        string original = File.ReadAllText(json);

        File.WriteAllText(json, original.Replace("\"hidden\": 16", "\"hidden\": 17"));
        Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck));
        SidecarEdits.WriteSealed(json, original.Replace("\"kind\": \"char-lstm\"", "\"kind\": \"other\""));
        Assert.Contains("not a character-model", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
        File.WriteAllText(json, original[..(original.Length / 2)]);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
        File.WriteAllText(json, original);
        var bytes = File.ReadAllBytes(st);
        File.WriteAllBytes(st, bytes[..^100]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
    }
}
