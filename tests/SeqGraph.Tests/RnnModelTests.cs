using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Rnn;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Tests;

/// <summary>The models rnn train and rnn sweep save, and RnnTraining.LoadModel that reads them back.</summary>
public class RnnModelTests
{
    [Fact]
    public void TrainSavesAModelThatLoadsBackWithTheReportedTestAccuracy()
    {
        using var dir = new TempDir();
        string outDir = dir.File("run");
        var (code, stdout, err) = CliTests.Run("rnn", "train", "--task", "palindrome", "--length", "4", "--model", "lstm", "--hidden", "16", "--batch", "32",
            "--optimizer", "adam", "--lr", "0.01", "--steps", "400", "--test-samples", "500", "--seed", "3", "--threads", "1", "--out", outDir, "--json");
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(stdout)!;

        using (var file = Safetensors.Read(Path.Combine(outDir, "model.safetensors")))
            Assert.Equal(new[] { "head.bias", "head.weight", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0" }, file.Names.Order(StringComparer.Ordinal));

        var (config, model) = RnnTraining.LoadModel(outDir);
        Assert.Equal(RecurrentModel.Lstm, config.Model);
        Assert.Equal((16, 4, 3UL, 500), (config.Hidden, config.Length, config.Seed, config.TestSamples));
        var (accuracy, loss) = RnnTraining.Evaluate(config, model);
        Assert.Equal((double)summary["test_accuracy"]!, accuracy);
        Assert.Equal((double)summary["test_loss"]!, loss);
        Assert.True(accuracy > 0.5, $"test accuracy {accuracy}: the run did not learn, so the round trip proves little");

        // the same config with fresh weights is a different model: the accuracy comes from the loaded weights
        Assert.NotEqual(accuracy, RnnTraining.Evaluate(config, config.CreateModel(config.CreateTask())).Accuracy);
    }

    [Fact]
    public void SweepSavesEachRunsModel()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("rnn", "sweep", "--models", "rnn,gru", "--lengths", "3,4", "--seeds", "1", "--hidden", "8", "--batch", "16",
            "--steps", "20", "--test-samples", "200", "--out", dir.File("sweep"));
        Assert.True(code == 0, err);
        var all = File.ReadAllLines(dir.File("sweep/results.csv")).Select(l => l.Split(',')).ToList();
        int Col(string name) => Array.IndexOf(all[0], name);
        var rows = all.Skip(1).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            // each trial is an ordinary rnn train run folder, its model saved there
            var (config, model) = RnnTraining.LoadModel(dir.File($"sweep/trial-{int.Parse(row[Col("trial")], CultureInfo.InvariantCulture):D3}"));
            Assert.Equal(row[Col("model")], config.Model.Name());
            Assert.Equal(int.Parse(row[Col("length")], CultureInfo.InvariantCulture), config.Length);
            var (accuracy, loss) = RnnTraining.Evaluate(config, model);
            Assert.Equal(double.Parse(row[Col("test_accuracy")], CultureInfo.InvariantCulture), accuracy);
            Assert.Equal(double.Parse(row[Col("test_loss")], CultureInfo.InvariantCulture), loss, 9);   // the loss tells weights apart where a near-chance accuracy may not
        }
    }

    [Fact]
    public void LoadModelSaysWhatAFolderHolds()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("empty"));
        var missing = Assert.Throws<FileNotFoundException>(() => RnnTraining.LoadModel(dir.File("empty")));
        Assert.Contains("holds no saved rnn model", missing.Message);

        Checkpoint.Save(dir.File("text"), new Dictionary<string, SeqGraph.Tensors.Tensor> { ["w"] = SeqGraph.Tensors.Tensor.Zeros(1) }, new JsonObject { ["kind"] = "char-lstm" });
        var other = Assert.Throws<InvalidDataException>(() => RnnTraining.LoadModel(dir.File("text")));
        Assert.Contains("a 'char-lstm' model, not one saved by rnn train or rnn sweep", other.Message);
    }
}
