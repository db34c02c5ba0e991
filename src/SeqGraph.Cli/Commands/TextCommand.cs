using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph text train|sample|eval</c>: character-level language models.</summary>
public static class TextCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var text = new Command("text", "Character-level language models: train on any UTF-8 text, sample, evaluate");
        text.Subcommands.Add(TextTrainCommand.Create());
        text.Subcommands.Add(CreateSample());
        text.Subcommands.Add(CreateEval());
        return text;
    }

    private static Command CreateSample()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder (model.safetensors + model.json)", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Text to continue (default: a random first character)" };
        var length = new Option<int>("--length") { Description = "Characters to generate after the prompt", DefaultValueFactory = _ => 200 };
        var temperature = new Option<float>("--temperature") { Description = "Logits are divided by this; 0 = greedy", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "Draw only among the K most likely characters (0 = all)", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Number of samples", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random choices", DefaultValueFactory = _ => 0UL };
        var json = Common.Json();
        var cmd = new Command("sample", "Generate text from a checkpoint") { checkpoint, prompt, length, temperature, topK, count, seed, json };
        cmd.SetAction(r => Sample(r.GetValue(checkpoint)!, r.GetValue(prompt), r.GetValue(length), r.GetValue(temperature),
            r.GetValue(topK), r.GetValue(count), r.GetValue(seed), r.GetValue(json)));
        return cmd;
    }

    private static int Sample(string dir, string? prompt, int length, float temperature, int topK, int count, ulong seed, bool json)
    {
        if (length < 0) throw new UsageException($"--length must be 0 or more (got {length})");
        if (count < 1) throw new UsageException($"--count must be at least 1 (got {count})");
        if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new UsageException($"--temperature must be 0 or more (got {temperature})");
        if (topK < 0) throw new UsageException($"--top-k must be 0 or more (got {topK})");
        if (prompt is { Length: 0 }) throw new UsageException("--prompt is empty");
        var loaded = TextCheckpoint.LoadModel(dir);
        int[]? promptSymbols = null;
        if (prompt is not null)
        {
            promptSymbols = TextCorpus.Encode(loaded.Vocabulary, prompt, out var unknown);
            if (unknown.Count > 0)
                throw new UsageException($"--prompt contains characters the model never saw: {string.Join(" ", unknown.Distinct().Take(10).Select(u => $"'{char.ConvertFromUtf32(u)}' (U+{u:X4})"))}");
        }
        var sampler = new TextSampler(new CharLstmInference(loaded.Model));
        var rng = new Rng(seed);
        var decoding = new Decoding(temperature, topK);
        var output = new int[length];
        var texts = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            var start = promptSymbols ?? new[] { rng.NextInt(loaded.Vocabulary.Length) };
            string head = prompt ?? TextCorpus.Decode(loaded.Vocabulary, start);
            sampler.Generate(start, output, decoding, rng);
            texts.Add(head + TextCorpus.Decode(loaded.Vocabulary, output));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["samples"] = new JsonArray(texts.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
                ["step"] = loaded.Step,
                ["temperature"] = temperature,
                ["top_k"] = topK,
                ["seed"] = seed,
                ["chars_per_second"] = Math.Round(count * (double)length / Math.Max(seconds, 1e-9), 1),
            }.ToJsonString());
        }
        else
        {
            for (int i = 0; i < texts.Count; i++)
            {
                if (i > 0) Console.WriteLine("\n----");
                Console.WriteLine(texts[i]);
            }
        }
        return 0;
    }

    private static Command CreateEval()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "UTF-8 text file to score", Required = true };
        var json = Common.Json();
        var cmd = new Command("eval", "Loss, bits per character and accuracy of a checkpoint on a text file") { checkpoint, corpus, json };
        cmd.SetAction(r => Eval(r.GetValue(checkpoint)!, r.GetValue(corpus)!, r.GetValue(json)));
        return cmd;
    }

    private static int Eval(string dir, string path, bool json)
    {
        var loaded = TextCheckpoint.LoadModel(dir);
        var corpus = TextCorpus.Load(path, loaded.Vocabulary, validationFraction: 0);
        if (corpus.Length < 2) throw new InvalidDataException($"{path}: fewer than 2 characters of the model's vocabulary; nothing to score");
        var r = TextEvaluator.Evaluate(loaded.Model, corpus, 0, corpus.Length);
        var unknown = string.Join(" ", corpus.UnknownExamples.Take(20).Select(u => $"U+{u:X4}"));
        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["loss"] = Math.Round(r.Loss, 6), ["bpc"] = Math.Round(r.BitsPerCharacter, 6), ["accuracy"] = Math.Round(r.Accuracy, 6),
                ["characters"] = r.Characters, ["unknown_characters"] = corpus.UnknownCount,
                ["unknown_examples"] = new JsonArray(corpus.UnknownExamples.Select(u => (JsonNode?)JsonValue.Create(char.ConvertFromUtf32(u))).ToArray()),
            }.ToJsonString());
        }
        else
        {
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(ci, "loss {0:F4} nats/char, {1:F4} bits/char, accuracy {2:F4} over {3:N0} characters", r.Loss, r.BitsPerCharacter, r.Accuracy, r.Characters));
            if (corpus.UnknownCount > 0)
                Console.WriteLine(string.Format(ci, "{0:N0} characters outside the model's vocabulary were left out: {1}", corpus.UnknownCount, unknown));
        }
        return 0;
    }
}
