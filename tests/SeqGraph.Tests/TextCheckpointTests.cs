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
        File.WriteAllText(json, original.Replace("\"kind\": \"char-lstm\"", "\"kind\": \"other\""));
        Assert.Contains("not a character-model", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
        File.WriteAllText(json, original[..(original.Length / 2)]);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
        File.WriteAllText(json, original);
        var bytes = File.ReadAllBytes(st);
        File.WriteAllBytes(st, bytes[..^100]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(ck)).Message);
    }
}
