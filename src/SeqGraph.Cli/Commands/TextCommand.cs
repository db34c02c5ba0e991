using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph text train|sample|eval</c>: character-level language models.</summary>
public static class TextCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var text = new Command("text", "Character-level language models: train on any text file, sample, evaluate");
        text.Subcommands.Add(TextTrainCommand.Create());
        text.Subcommands.Add(CreateSample());
        text.Subcommands.Add(CreateEval());
        return text;
    }

    private static Command CreateSample()
    {
        var d = new TextSampleConfig();
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder (model.safetensors + model.json): a text run's folder for its latest model, <run>/best for its best by validation", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Text to continue ('-' reads it from standard input; default: a random first character)" };
        var length = new Option<int>("--length") { Description = "Characters to generate after the prompt", DefaultValueFactory = _ => d.Length };
        var temperature = new Option<float>("--temperature") { Description = "Logits are divided by this; 0 = greedy", DefaultValueFactory = _ => d.Temperature };
        var topK = new Option<int>("--top-k") { Description = "Draw only among the K most likely characters (0 = all)", DefaultValueFactory = _ => d.TopK };
        var count = new Option<int>("--count") { Description = "Number of samples", DefaultValueFactory = _ => d.Count };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random choices", DefaultValueFactory = _ => d.Seed };
        var json = Common.Json();
        var cmd = new Command("sample", "Generate text from a checkpoint") { checkpoint, prompt, length, temperature, topK, count, seed, json };
        cmd.SetAction(r =>
        {
            var config = new TextSampleConfig
            {
                Checkpoint = r.GetValue(checkpoint)!, Prompt = ReadPrompt(r.GetValue(prompt)), Length = r.GetValue(length), Temperature = r.GetValue(temperature),
                TopK = r.GetValue(topK), Count = r.GetValue(count), Seed = r.GetValue(seed),
            };
            bool asJson = r.GetValue(json);
            int printed = 0;
            // each sample is printed as soon as it is done (the whole result at the end with --json)
            var progress = asJson ? null : Reporter.Create<string>(text =>
            {
                if (printed++ > 0) Console.WriteLine("\n----");
                Console.WriteLine(text);
            });
            return CliRunner.Run(TextSampling.Run, config, null, progress, asJson, _ => { }, _ => false, "stopping…");
        });
        return cmd;
    }

    /// <summary>The prompt as given, or standard input for "-" (one final line break dropped, as a shell's here-string or echo adds it).</summary>
    private static string? ReadPrompt(string? prompt)
    {
        if (prompt != "-") return prompt;
        string text = Console.In.ReadToEnd();
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }

    private static Command CreateEval()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "Text file to score", Required = true };
        var encoding = TextOptions.Encoding();
        var keepGutenberg = TextOptions.KeepGutenberg();
        var json = Common.Json();
        var cmd = new Command("eval", "Loss, bits per character and accuracy of a checkpoint on a text file") { checkpoint, corpus, encoding, keepGutenberg, json };
        cmd.SetAction(r =>
        {
            var config = new TextEvalConfig
            {
                Checkpoint = r.GetValue(checkpoint)!, Corpus = r.GetValue(corpus)!,
                Encoding = TextOptions.ParseEncoding(r.GetValue(encoding)), KeepGutenberg = r.GetValue(keepGutenberg),
            };
            var notes = Reporter.Create<string>(TextOptions.PrintNote);
            return CliRunner.Run<TextEvalConfig, string, TextEvalSummary>(TextEvaluation.Run, config, null, notes, r.GetValue(json), e =>
            {
                var ci = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Format(ci, "loss {0:F4} nats/char, {1:F4} bits/char, accuracy {2:F4} over {3:N0} characters", e.Loss, e.Bpc, e.Accuracy, e.Characters));
                if (e.UnknownCharacters > 0)
                    Console.WriteLine(string.Format(ci, "{0:N0} characters outside the model's vocabulary were left out: {1}", e.UnknownCharacters,
                        string.Join(" ", e.UnknownExamples.Take(20).Select(u => $"U+{char.ConvertToUtf32(u, 0):X4}"))));
            }, _ => false, "stopping…");
        });
        return cmd;
    }
}
