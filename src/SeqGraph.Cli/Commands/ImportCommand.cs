using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments.Export;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph import</c>: a PyTorch char-LSTM state_dict as a SeqGraph checkpoint.</summary>
public static class ImportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "pytorch (the only format that can be imported)", DefaultValueFactory = _ => "pytorch" };
        var stateDict = new Option<string>("--state-dict") { Description = "The state_dict as safetensors (embedding.weight, lstm.*, head.*)", Required = true };
        var config = new Option<string?>("--config") { Description = "Its JSON description: modules, sizes, vocabulary (default: the --state-dict name with .json)" };
        var outDir = new Option<string>("--out") { Description = "Checkpoint folder to write (model.safetensors, model.json)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a checkpoint already in --out" };
        var json = Common.Json();
        var cmd = new Command("import", "Read a PyTorch char-LSTM state_dict (nn.Embedding → nn.LSTM → nn.Linear) into a checkpoint for text sample and text train --resume")
            { format, stateDict, config, outDir, force, json };
        cmd.SetAction(r =>
        {
            var c = new ImportConfig
            {
                Format = r.GetValue(format) switch
                {
                    "pytorch" => ExportFormat.Pytorch,
                    "onnx" => ExportFormat.Onnx,
                    var other => throw new UsageException($"--format: unknown format '{other}' (expected pytorch)"),
                },
                StateDict = r.GetValue(stateDict)!,
                Description = r.GetValue(config),
                Out = r.GetValue(outDir)!,
                Force = r.GetValue(force),
            };
            return CliRunner.Run<ImportConfig, string, ImportResult>(ModelImport.Run, c, null, null, r.GetValue(json), Print, _ => false);
        });
        return cmd;
    }

    private static void Print(ImportResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{r.Model} ({r.Parameters:N0} parameters) from {r.StateDict} and {r.Description}"));
        Console.WriteLine($"tensors: {string.Join(", ", r.Tensors)}");
        Console.WriteLine($"vocabulary: {System.Text.Json.JsonSerializer.Serialize(r.Vocabulary, SeqGraph.IO.RunJson.Compact)}");
        Console.WriteLine($"written: {string.Join(", ", r.Files)} (kind {r.Kind}, step 0, fresh optimizer state)");
        foreach (var note in r.Notes) Console.WriteLine(note);
    }
}
