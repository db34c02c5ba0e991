using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Graph;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph graph predict</c>: per-node predictions (CSV) of a model saved by <c>graph train</c>.</summary>
public static class GraphPredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Folder of a graph train run (it holds seed-<k>/model.safetensors)", Required = true };
        var seed = new Option<ulong?>("--seed") { Description = "Which seed's model (default: the lowest seed saved in the run)" };
        var data = new Option<string?>("--data") { Description = "Data folder to predict on (default: the one the model was trained on); same features and classes" };
        var outFile = new Option<string?>("--out") { Description = "CSV file to write (default: predictions.csv in the seed's folder of the run)" };
        var threads = Common.Threads();
        var json = Common.Json();
        var cmd = new Command("predict", "Write per-node predictions (node, predicted class, probability, true label, split) of a saved graph model as CSV")
            { run, seed, data, outFile, threads, json };
        cmd.SetAction(r =>
        {
            var config = new GraphPredictConfig
            {
                Run = r.GetValue(run)!, Seed = r.GetValue(seed), Data = r.GetValue(data), Out = r.GetValue(outFile),
                Threads = Common.CheckThreads(r.GetValue(threads)),
            };
            return CliRunner.Run(GraphPrediction.Run, config, null, Reporter.Create<string>(Console.Error.WriteLine), r.GetValue(json), p =>
            {
                var inv = CultureInfo.InvariantCulture;
                string Acc(double a, int n) => n == 0 ? "–" : string.Create(inv, $"{100 * a:F1} % of {n:N0}");
                Console.WriteLine(string.Create(inv,
                    $"{p.Model.ToString().ToUpperInvariant()} seed {p.Seed} (epoch {p.Epoch}) on {p.Dataset}: {p.Nodes:N0} nodes predicted, {p.LabelledNodes:N0} with a label"));
                Console.WriteLine($"accuracy: train {Acc(p.TrainAccuracy, p.TrainNodes)}, validation {Acc(p.ValAccuracy, p.ValNodes)}, test {Acc(p.TestAccuracy, p.TestNodes)}"
                    + string.Create(inv, $" (in training: test {100 * p.TrainedTestAccuracy:F1} %)"));
                Console.WriteLine($"predictions in {p.Predictions}");
            }, _ => false);
        });
        return cmd;
    }
}
