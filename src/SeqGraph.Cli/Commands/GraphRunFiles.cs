using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>Writes the files of a <c>graph train</c> run into its --out folder.</summary>
internal static class RunFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes indented JSON via a temporary file renamed into place.</summary>
    public static void WriteJson(string path, JsonNode node) => WriteAtomic(path, node.ToJsonString(Indented) + "\n");

    /// <summary>One row per epoch.</summary>
    public static void WriteMetrics(string path, IReadOnlyList<EpochMetrics> epochs)
    {
        var sb = new StringBuilder("epoch,train_loss,train_accuracy,val_loss,val_accuracy,test_accuracy,seconds\n");
        foreach (var e in epochs)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{e.Epoch},{e.TrainLoss:G6},{e.TrainAccuracy:G6},{e.ValLoss:G6},{e.ValAccuracy:G6},{e.TestAccuracy:G6},{e.Seconds:G6}\n"));
        WriteAtomic(path, sb.ToString());
    }

    /// <summary>Curves and the embedding picture.</summary>
    public static void WritePlots(string dir, string model, CitationGraph data, IReadOnlyList<NodeTrainingResult> runs)
    {
        string name = model.ToUpperInvariant();
        WriteAtomic(Path.Combine(dir, "curves.svg"), GraphPlots.Curves($"{name} on {data.Name}: {runs.Count} seed(s), mean in bold", runs));
        var first = runs[0];
        WriteAtomic(Path.Combine(dir, "embedding.svg"), GraphPlots.Embedding(
            $"{name} hidden layer, seed {first.Seed}, epoch {first.BestEpoch}: 2 principal components, colour = class", data, first));
    }

    private static void WriteAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
