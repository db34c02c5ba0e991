using System.Text.Json.Nodes;
using SeqGraph.Nn.Recurrent;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>Settings of a character-level training run; the defaults are those of SPEC.md section 2.</summary>
public record TextTrainConfig : IExperimentConfig
{
    /// <summary>The UTF-8 corpus file.</summary>
    public string Corpus { get; init; } = "";
    /// <summary>Window length T (steps of teacher forcing).</summary>
    public int Seq { get; init; } = 30;
    /// <summary>Windows per batch.</summary>
    public int Batch { get; init; } = 64;
    /// <summary>LSTM units per layer.</summary>
    public int Hidden { get; init; } = 128;
    /// <summary>LSTM layers.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Embedding size.</summary>
    public int Embed { get; init; } = 64;
    /// <summary>Dropout between LSTM layers.</summary>
    public float Dropout { get; init; }
    /// <summary>Adam learning rate.</summary>
    public float Lr { get; init; } = 2e-3f;
    /// <summary>StepLR factor.</summary>
    public float LrDecay { get; init; } = 0.96f;
    /// <summary>StepLR period in training steps.</summary>
    public int LrStep { get; init; } = 5000;
    /// <summary>Global gradient-norm clip; 0 turns it off.</summary>
    public float Clip { get; init; } = 5f;
    /// <summary>Total training steps (counted from the start of the run, also after a resume); null for no step limit.</summary>
    public int? Steps { get; init; }
    /// <summary>Wall-clock budget in minutes (of this process); null for none.</summary>
    public double? Minutes { get; init; }
    /// <summary>Validation every this many steps (0: only at the end).</summary>
    public int EvalEvery { get; init; } = 1000;
    /// <summary>Extra greedy samples every this many steps (0: only at 1/3, 2/3 and 3/3 of the run).</summary>
    public int SampleEvery { get; init; }
    /// <summary>Checkpoint every this many steps (0: only at the end and on interruption).</summary>
    public int CheckpointEvery { get; init; } = 1000;
    /// <summary>One metrics row per this many steps (loss and accuracy averaged over them).</summary>
    public int LogEvery { get; init; } = 10;
    /// <summary>Share of the corpus (its tail) held out for validation.</summary>
    public double ValidationFraction { get; init; } = 0.05;
    /// <summary>Most validation characters evaluated at each evaluation.</summary>
    public int MaxEvalChars { get; init; } = 1 << 18;
    /// <summary>Seed of the weights, the data windows and the samples.</summary>
    public ulong Seed { get; init; }

    /// <summary>The model sizes for a vocabulary.</summary>
    public CharLstmConfig Model(int vocabulary) => new(vocabulary, Embed, Hidden, Layers, Dropout);

    /// <summary>Threads for the engine's kernels during a run (results do not depend on it; may change on resume).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ConfigException"/> naming the first invalid setting.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(Corpus)) throw new ConfigException("--corpus", "--corpus is required");
        ConfigException.Positive("--seq", Seq); ConfigException.Positive("--batch", Batch); ConfigException.Positive("--hidden", Hidden);
        ConfigException.Positive("--layers", Layers); ConfigException.Positive("--embed", Embed);
        ConfigException.InRange("--dropout", Dropout, 0, 1);
        ConfigException.Positive("--lr", Lr); ConfigException.Positive("--lr-decay", LrDecay); ConfigException.Positive("--lr-step", LrStep);
        ConfigException.NonNegative("--clip", Clip);
        if (Steps is null && Minutes is null) throw new ConfigException("--steps", "give a budget: --steps and/or --minutes");
        if (Steps is { } s) ConfigException.Positive("--steps", s);
        if (Minutes is { } m) ConfigException.Positive("--minutes", m);
        ConfigException.NonNegative("--eval-every", EvalEvery); ConfigException.NonNegative("--sample-every", SampleEvery);
        ConfigException.NonNegative("--checkpoint-every", CheckpointEvery);
        ConfigException.Positive("--log-every", LogEvery);
        ConfigException.InRange("validation fraction", ValidationFraction, 0, 0.5, inclusive: true);
        ConfigException.Positive("--threads", Threads);
    }

    /// <summary>The settings that must stay the same when a run is resumed (all but the budget, the reporting intervals, the corpus path and threads).</summary>
    public TextTrainConfig Fixed() => this with { Steps = null, Minutes = null, EvalEvery = 0, SampleEvery = 0, CheckpointEvery = 0, Corpus = "", Threads = 1 };

    /// <summary>Reads settings saved in a checkpoint: every key must be there (threads may be absent in older checkpoints).</summary>
    public static TextTrainConfig FromJson(JsonNode? node, string context)
    {
        if (node is JsonObject o && !o.ContainsKey("threads"))
        {
            o = (JsonObject)o.DeepClone();
            o["threads"] = 1;
            node = o;
        }
        var c = RunJson.FromNode<TextTrainConfig>(node, context + ": train", requireAll: true);
        try { c.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{context}: {e.Message}"); }
        return c;
    }
}
