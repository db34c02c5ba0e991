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
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint: the folder of a text train run for its latest model, <run>/best for its best by validation (or the model.safetensors in either)", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Text to continue ('-' reads it from standard input; default: a random first character)" };
        var interactive = new Option<bool>("--interactive")
        {
            Description = "Read prompts from standard input, one per line, and continue each until end of input; the k-th prompt (from 0) uses --seed + k",
        };
        var length = new Option<int>("--length") { Description = "Characters to generate after the prompt", DefaultValueFactory = _ => d.Length };
        var temperature = new Option<float>("--temperature") { Description = "Logits are divided by this; 0 = greedy", DefaultValueFactory = _ => d.Temperature };
        var topK = new Option<int>("--top-k") { Description = "Draw only among the K most likely characters (0 = all)", DefaultValueFactory = _ => d.TopK };
        var count = new Option<int>("--count") { Description = "Number of samples", DefaultValueFactory = _ => d.Count };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random choices", DefaultValueFactory = _ => d.Seed };
        var json = Common.Json();
        var maxMemory = Common.MaxMemory();
        var cmd = new Command("sample", "Generate text from a checkpoint, printed as it is sampled")
        {
            checkpoint, prompt, interactive, length, temperature, topK, count, seed, maxMemory, json,
        };
        cmd.SetAction(r =>
        {
            bool asJson = r.GetValue(json), chat = r.GetValue(interactive);
            if (chat && r.GetValue(prompt) is not null) throw new UsageException("--interactive reads the prompts from standard input; leave out --prompt");
            if (chat && asJson) throw new UsageException("--interactive prints the text as it is sampled; leave out --json");
            var config = new TextSampleConfig
            {
                Checkpoint = r.GetValue(checkpoint)!, Prompt = chat ? null : ReadPrompt(r.GetValue(prompt)), Length = r.GetValue(length),
                Temperature = r.GetValue(temperature), TopK = r.GetValue(topK), Count = r.GetValue(count), Seed = r.GetValue(seed),
                MaxMemory = Common.ReadMaxMemory(r, maxMemory),
            };
            // the text is printed as it is sampled, samples separated by a "----" line (the whole result at the end with --json)
            int current = -1;
            var progress = asJson ? null : Reporter.Create<TextSampleProgress>(p =>
            {
                if (p.Sample != current)
                {
                    if (p.Sample > 0) Console.Write("\n----\n");
                    current = p.Sample;
                }
                Console.Write(p.Text);
                if (p.End) Console.WriteLine();
            });
            if (!chat) return CliRunner.Run(TextSampling.Run, config, null, progress, asJson, _ => { }, _ => false, "stopping…");
            return CliRunner.Run<TextSampleConfig, TextSampleProgress, int>((c, _, p, cancel) => Interactive(c, p, () => current = -1, cancel),
                config, null, progress, false, _ => { }, _ => false, "stopping…");
        });
        return cmd;
    }

    /// <summary>
    /// <c>--interactive</c>: loads the checkpoint once, then continues every non-empty line of standard
    /// input (the k-th with seed + k, <see cref="TextSampleSession.SamplePrompt"/>) until end of input. A line
    /// with characters the model never saw is skipped with a message. The "&gt; " marker is shown (on
    /// stderr) only when standard input is a terminal. Returns the number of prompts read.
    /// </summary>
    private static int Interactive(TextSampleConfig config, IProgress<TextSampleProgress>? progress, Action newPrompt, CancellationToken cancel)
    {
        var session = TextSampleSession.Open(config);
        bool terminal = !Console.IsInputRedirected;
        if (terminal) Console.Error.WriteLine($"model of step {session.Loaded.Step}: type a prompt and press Enter; Ctrl-D ends");
        int prompts = 0, lineNumber = 0;
        while (true)
        {
            if (terminal) Console.Error.Write("> ");
            // read on another thread so that Ctrl-C ends a wait for input as it ends sampling
            string? line = Task.Run(Console.In.ReadLine).WaitAsync(cancel).GetAwaiter().GetResult();
            if (line is null)
            {
                if (terminal) Console.Error.WriteLine();
                return prompts;
            }
            lineNumber++;
            if (line.Length == 0) continue;
            int index = prompts++;
            newPrompt();
            try
            {
                session.SamplePrompt(index, line, progress, cancel);
            }
            catch (ConfigException e) when (e.Option == "--prompt")
            {
                Console.Error.WriteLine($"seqgraph: line {lineNumber}: {(e.Message.StartsWith("--prompt", StringComparison.Ordinal) ? "the prompt" + e.Message["--prompt".Length..] : e.Message)}; skipped");
            }
        }
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
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint: the folder of a text train run for its latest model, <run>/best for its best by validation (or the model.safetensors in either)", Required = true };
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
            // progress on stderr: the data note, then characters scored so far (a bar on a terminal, a line every 10 s otherwise)
            ProgressLine? shown = null;
            var progress = Reporter.Create<TextEvalProgress>(p =>
            {
                if (p.Note is { } note) TextOptions.PrintNote(note);
                else (shown ??= new ProgressLine("eval chars", p.Total)).Report(p.Characters);
            });
            return CliRunner.Run(TextEvaluation.Run, config, null, progress, r.GetValue(json), e =>
            {
                var ci = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Format(ci, "loss {0:F4} nats/char, {1:F4} bits/char, accuracy {2:F4} over {3:N0} characters", e.Loss, e.Bpc, e.Accuracy, e.Characters));
                if (e.UnknownCharacters > 0)
                    Console.WriteLine(string.Format(ci, "{0:N0} characters outside the model's vocabulary were left out: {1}", e.UnknownCharacters,
                        string.Join(" ", e.UnknownExamples.Take(20).Select(u => $"U+{char.ConvertToUtf32(u, 0):X4}"))));
            }, _ => false, "stopping…", beforePrint: () => shown?.Dispose());
        });
        return cmd;
    }
}
