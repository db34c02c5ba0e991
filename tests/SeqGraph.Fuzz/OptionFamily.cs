using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// Edge values for one option of one command (0, ±1, int.MaxValue/MinValue, 1e30, 1e-30, NaN,
/// ±Infinity, "", "abc", a range of two billion, a very long string, "../x"), the rest a tiny run.
/// Right: exit 0 (a tiny run), or exit 2 with one line naming the option.
/// </summary>
internal static class OptionFamily
{
    /// <summary>The family's name on the command line and in the table.</summary>
    public const string Name = "options";

    private static readonly string[] Values =
    [
        "0", "-1", "1", "2", "2147483647", "-2147483648", "9999999999", "1e30", "1e-30", "NaN", "Infinity", "-Infinity", "", "abc",
        "1:2000000000:1", "0..2000000000", new string('7', 5000), "../x", "0.5", "-0", "1e-45", "3.4e38",
    ];

    /// <summary>A command: its tiny run's arguments ({dir} is the case's folder), the options to mutate, and which of them ask for more work.</summary>
    private sealed record Command(string[] Args, string[] Options, string[] Long);

    private static Command[] Commands(Baseline b) =>
    [
        new(["text", "train", "--corpus", b.Corpus, "--steps", "2", "--seq", "8", "--batch", "2", "--hidden", "4", "--embed", "2", "--eval-every", "0", "--threads", "1", "--out", "{dir}/run"],
            ["--seq", "--batch", "--hidden", "--layers", "--embed", "--dropout", "--lr", "--lr-decay", "--lr-step", "--clip", "--steps", "--minutes", "--eval-every",
             "--sample-every", "--checkpoint-every", "--seed", "--threads", "--encoding"],
            ["--steps", "--minutes"]),
        new(["text", "train", "--resume", "{dir}/text", "--steps", "5", "--threads", "1"],
            ["--steps", "--minutes", "--lr", "--clip", "--eval-every", "--sample-every", "--checkpoint-every", "--seq", "--batch", "--lr-decay", "--lr-step", "--seed", "--hidden"],
            ["--steps", "--minutes"]),
        new(["text", "sample", "--checkpoint", b.TextRun, "--length", "8"],
            ["--length", "--temperature", "--top-k", "--count", "--seed", "--prompt"],
            ["--length", "--count"]),
        new(["text", "eval", "--checkpoint", b.TextRun, "--corpus", b.Corpus], ["--encoding"], []),
        new(["rnn", "train", "--model", "lstm", "--length", "3", "--hidden", "4", "--steps", "2", "--batch", "4", "--test-samples", "8", "--threads", "1", "--out", "{dir}/run"],
            ["--model", "--length", "--seed", "--task", "--impl", "--input", "--hidden", "--layers", "--batch", "--optimizer", "--lr", "--momentum", "--clip", "--init",
             "--forget-bias", "--steps", "--target-accuracy", "--window", "--test-samples", "--log-every", "--threads"],
            ["--steps", "--test-samples"]),
        new(["rnn", "sweep", "--models", "rnn", "--lengths", "2", "--seeds", "0", "--hidden", "4", "--steps", "2", "--batch", "4", "--test-samples", "8", "--threads", "1", "--out", "{dir}/run"],
            ["--models", "--lengths", "--seeds", "--hidden", "--layers", "--batch", "--lr", "--steps", "--window", "--test-samples"],
            ["--steps", "--test-samples", "--seeds"]),
        // never --executor: with a cluster up (CI) a mutant would submit real jobs
        new(["sweep", "rnn", "train", "--grid", "hidden=4 seed=0", "--length", "3", "--steps", "2", "--batch", "4", "--test-samples", "8", "--threads", "1", "--out", "{dir}/run"],
            ["--grid", "--jobs", "--threads", "--length", "--steps", "--grid-file"],
            ["--steps"]),
        new(["rnn", "gradients", "--models", "rnn", "--length", "3", "--after-steps", "2", "--hidden", "4", "--batch", "4", "--threads", "1", "--out", "{dir}/run"],
            ["--models", "--length", "--after-steps", "--seed", "--hidden", "--layers", "--batch", "--lr", "--clip"],
            ["--after-steps"]),
        new(["rnn", "params", "--model", "lstm", "--input", "3", "--hidden", "4"], ["--model", "--input", "--hidden", "--classes", "--layers"], []),
        new(["graph", "train", "--data", b.Data, "--epochs", "2", "--seeds", "0", "--hidden", "4", "--threads", "1", "--out", "{dir}/run"],
            ["--model", "--epochs", "--hidden", "--dropout", "--lr", "--weight-decay", "--seeds", "--patience", "--threads"],
            ["--epochs", "--seeds"]),
        new(["graph", "train", "--data", b.Data, "--model", "gat", "--epochs", "2", "--seeds", "0", "--hidden", "2", "--heads", "2", "--threads", "1", "--out", "{dir}/run"],
            ["--epochs", "--hidden", "--heads", "--dropout", "--lr", "--weight-decay", "--patience"],
            ["--epochs"]),
        new(["graph", "predict", "--run", b.GraphRun, "--out", "{dir}/p.csv", "--threads", "1"], ["--seed", "--threads", "--out"], []),
        new(["graph", "inspect", "--edges", Path.Combine(b.Data, "small.cites")], ["--from", "--to"], []),
        new(["export", "--checkpoint", "{dir}/text", "--out", "{dir}/m.onnx"], ["--format", "--out"], []),
        new(["bench", "rnn", "--length", "3", "--batch", "2", "--hidden", "4", "--steps", "1", "--repeats", "1", "--threads", "1"],
            ["--model", "--impl", "--length", "--batch", "--hidden", "--steps", "--repeats", "--threads"],
            ["--steps", "--repeats"]),
        new(["bench", "text", "--corpus", b.Corpus, "--hidden", "4", "--embed", "2", "--steps", "1", "--sample-chars", "10", "--threads", "1"],
            ["--hidden", "--embed", "--steps", "--sample-chars", "--threads"],
            ["--steps", "--sample-chars"]),
    ];

    /// <summary>Makes case <paramref name="index"/> in <paramref name="dir"/>.</summary>
    public static FuzzCase Make(Rng rng, Baseline b, string dir, int index)
    {
        var commands = Commands(b);
        var cmd = commands[rng.NextInt(commands.Length)];
        string option = cmd.Options[rng.NextInt(cmd.Options.Length)];
        string value = Values[rng.NextInt(Values.Length)];
        var args = cmd.Args.Select(a => a.Replace("{dir}", dir, StringComparison.Ordinal)).ToList();
        if (args.Any(a => a == Path.Combine(dir, "text"))) Baseline.Copy(b.TextRun, Path.Combine(dir, "text"));
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        string shown = value.Length > 24 ? $"'{value[..8]}…' ({value.Length} chars)" : $"'{value}'";
        return new FuzzCase(Name, index, [.. args], $"{string.Join(' ', cmd.Args.Take(2))} {option} {shown}", [option],
            MayRunLong: cmd.Long.Contains(option), EndsOnSignal: cmd.Args[0] == "bench");
    }
}
