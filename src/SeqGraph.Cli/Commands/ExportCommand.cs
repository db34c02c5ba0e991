using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Export;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph export</c>: a saved model as ONNX or as a PyTorch state_dict.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "Folder of a saved model: a text or rnn train run (or its best/), a sweep's trial-<n>/, a graph train run (its lowest seed) or its seed-<k>/",
            Required = true,
        };
        var format = new Option<string>("--format") { Description = "onnx | pytorch", DefaultValueFactory = _ => "onnx" };
        var outFile = new Option<string?>("--out") { Description = "File to write (default: model.onnx, or pytorch.safetensors and pytorch.json, in the checkpoint's folder)" };
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists" };
        var json = Common.Json();
        var cmd = new Command("export", "Write a saved model as ONNX (for ONNX Runtime) or as a PyTorch state_dict (safetensors + a JSON naming the modules)")
            { checkpoint, format, outFile, force, json };
        cmd.SetAction(r =>
        {
            var config = new ExportConfig
            {
                Checkpoint = r.GetValue(checkpoint)!,
                Format = r.GetValue(format) switch
                {
                    "onnx" => ExportFormat.Onnx,
                    "pytorch" => ExportFormat.Pytorch,
                    var other => throw new UsageException($"--format: unknown format '{other}' (expected onnx or pytorch)"),
                },
                Out = r.GetValue(outFile),
                Force = r.GetValue(force),
            };
            return CliRunner.Run(ModelExport.Run, config, null, Reporter.Create<string>(Console.Error.WriteLine), r.GetValue(json), Print, _ => false);
        });
        return cmd;
    }

    private static void Print(ExportResult e)
    {
        var inv = CultureInfo.InvariantCulture;
        string format = e.Format == ExportFormat.Onnx ? "ONNX" : "PyTorch state_dict";
        Console.WriteLine(string.Create(inv, $"{e.Model} ({e.Parameters:N0} parameters) from {e.Checkpoint}"));
        Console.WriteLine(string.Create(inv, $"written as {format}: {e.Files[0]} ({e.Bytes:N0} bytes)") + (e.Files.Length > 1 ? $", {string.Join(", ", e.Files[1..])}" : ""));
        if (e.Inputs.Length > 0) Console.WriteLine($"inputs:  {string.Join(", ", e.Inputs.Select(v => v.ToString()))}");
        if (e.Outputs.Length > 0) Console.WriteLine($"{(e.Format == ExportFormat.Onnx ? "outputs:" : "tensors:")} {string.Join(", ", e.Outputs.Select(v => v.ToString()))}");
        foreach (var note in e.Notes) Console.WriteLine(note);
    }
}
