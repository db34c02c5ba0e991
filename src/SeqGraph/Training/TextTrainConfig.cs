using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>Settings of a character-level training run; the defaults are those of SPEC.md section 2.</summary>
/// <param name="Corpus">The corpus file (its encoding is <see cref="Encoding"/>).</param>
/// <param name="Seq">Window length T (steps of teacher forcing).</param>
/// <param name="Batch">Windows per batch.</param>
/// <param name="Hidden">LSTM units per layer.</param>
/// <param name="Layers">LSTM layers.</param>
/// <param name="Embed">Embedding size.</param>
/// <param name="Dropout">Dropout between LSTM layers.</param>
/// <param name="Lr">Adam learning rate.</param>
/// <param name="LrDecay">StepLR factor.</param>
/// <param name="LrStep">StepLR period in training steps.</param>
/// <param name="Clip">Global gradient-norm clip; 0 turns it off.</param>
/// <param name="Steps">Total training steps (counted from the start of the run, also after a resume); null for no step limit.</param>
/// <param name="Minutes">Wall-clock budget in minutes (of this process); null for none.</param>
/// <param name="EvalEvery">Validation every this many steps (0: only at the end).</param>
/// <param name="SampleEvery">Extra greedy samples every this many steps (0: only at 1/3, 2/3 and 3/3 of the run).</param>
/// <param name="CheckpointEvery">Checkpoint every this many steps (0: only at the end and on interruption).</param>
/// <param name="LogEvery">One metrics row per this many steps (loss and accuracy averaged over them).</param>
/// <param name="ValidationFraction">Share of the corpus held out for validation (1/20: every 20th block).</param>
/// <param name="Seed">Seed of the weights, the data windows and the samples.</param>
public record TextTrainConfig(
    string Corpus = "", int Seq = 30, int Batch = 64,
    int Hidden = 128, int Layers = 2, int Embed = 64,
    float Dropout = 0, float Lr = 2e-3f, float LrDecay = 0.96f,
    int LrStep = 5000, float Clip = 5f, int? Steps = null,
    double? Minutes = null, int EvalEvery = 1000, int SampleEvery = 0,
    int CheckpointEvery = 1000, int LogEvery = 10, double ValidationFraction = 0.05,
    ulong Seed = 0) : IExperimentConfig
{
    /// <summary>Threads for the engine's kernels during a run (results do not depend on it; may change on resume).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The corpus file's encoding (may change on resume, with the corpus).</summary>
    public TextEncoding Encoding { get; init; } = TextEncoding.Utf8;

    /// <summary>Keep a Project Gutenberg header and licence in the text (by default they are dropped).</summary>
    public bool KeepGutenberg { get; init; }

    /// <summary>How validation is drawn: blocks spread over the text (runs before blocks existed used the tail).</summary>
    public ValidationSplit ValidationSplit { get; init; } = ValidationSplit.Blocks;

    /// <summary>Characters per block of the block split (smaller for a text too short for ten validation blocks).</summary>
    public int ValidationBlock { get; init; } = TextCorpusOptions.DefaultBlockSize;

    /// <summary>How the corpus is read and split.</summary>
    public TextCorpusOptions CorpusOptions() => new()
    {
        Encoding = Encoding, KeepGutenberg = KeepGutenberg, ValidationFraction = ValidationFraction, Split = ValidationSplit, BlockSize = ValidationBlock,
    };

    /// <summary>
    /// Most bytes the run may need (<c>--max-memory</c>); null: <see cref="MemoryEstimate.DefaultLimit"/>. A limit of the
    /// machine, not a setting of the run: not saved with it, and free to change on resume.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? MaxMemory { get; init; }

    /// <summary>
    /// Throws a <see cref="ConfigException"/> when the run would need more than <see cref="MaxMemory"/>
    /// (see <see cref="MemoryEstimate.ForText"/>) for a corpus of <paramref name="corpusChars"/>
    /// characters with <paramref name="vocabulary"/> distinct ones; <see cref="Validate"/> checks
    /// the sizes alone (a one-character vocabulary), the run again once the corpus is read.
    /// </summary>
    public void CheckMemory(int vocabulary, long corpusChars)
    {
        var need = MemoryEstimate.ForText(Model(vocabulary), Seq, Batch, corpusChars);
        if (vocabulary > 256 && need.Total > 2 * MemoryEstimate.ForText(Model(1), Seq, Batch, corpusChars).Total)
        {
            need.Check(MaxMemory, "--corpus", $"--corpus {Corpus} ({vocabulary:N0} distinct characters, each a row of the embedding and the output layer)");
            return;
        }
        var (option, value) = MemoryEstimate.Culprit(("--hidden", Hidden, 128), ("--batch", Batch, 64), ("--seq", Seq, 30), ("--layers", Layers, 2), ("--embed", Embed, 64));
        need.Check(MaxMemory, option, value);
    }

    /// <summary>Most validation characters evaluated at each evaluation.</summary>
    public int MaxEvalChars { get; init; } = 1 << 18;
    /// <summary>The model sizes for a vocabulary.</summary>
    public CharLstmConfig Model(int vocabulary) => new(vocabulary, Embed, Hidden, Layers, Dropout);

    /// <summary>Throws <see cref="ConfigException"/> naming the first invalid setting.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(Corpus)) throw new ConfigException("--corpus", "--corpus is required");
        ConfigException.Positive("--seq", Seq); ConfigException.Positive("--batch", Batch); ConfigException.Positive("--hidden", Hidden);
        ConfigException.Positive("--layers", Layers); ConfigException.Positive("--embed", Embed);
        if (Layers > 64) throw new ConfigException("--layers", $"--layers must be at most 64 (got {Layers})");
        if ((long)Seq * Batch > 1L << 26) throw new ConfigException("--batch", $"--seq × --batch ({Seq:N0} × {Batch:N0}) must be at most {1L << 26:N0} characters per step");
        ConfigException.InRange("--dropout", Dropout, 0, 1);
        if (Dropout > 0 && Layers == 1)
            throw new ConfigException("--dropout", "--dropout: dropout is applied between LSTM layers, and --layers 1 has none (use --layers 2 or more, or leave --dropout out)");
        ConfigException.Positive("--lr", Lr); ConfigException.Positive("--lr-decay", LrDecay); ConfigException.Positive("--lr-step", LrStep);
        ConfigException.NonNegative("--clip", Clip);
        if (Steps is null && Minutes is null) throw new ConfigException("--steps", "give a budget: --steps and/or --minutes");
        if (Steps is { } s) ConfigException.Positive("--steps", s);
        if (Minutes is { } m) ConfigException.Positive("--minutes", m);
        ConfigException.NonNegative("--eval-every", EvalEvery); ConfigException.NonNegative("--sample-every", SampleEvery);
        ConfigException.NonNegative("--checkpoint-every", CheckpointEvery);
        ConfigException.Positive("--log-every", LogEvery);
        ConfigException.InRange("validation fraction", ValidationFraction, 0, 0.5, inclusive: true);
        if (ValidationFraction > 0 && Math.Abs(1 / ValidationFraction - Math.Round(1 / ValidationFraction)) > 1e-6)
            throw new ConfigException("validation fraction", $"validation fraction must be 1/N (every N-th block is held out), got {ValidationFraction}");
        ConfigException.Positive("--threads", Threads);
        if (ValidationBlock < 2) throw new ConfigException("validation block", $"validation block must be at least 2 characters (got {ValidationBlock})");
        if (!Enum.IsDefined(Encoding)) throw new ConfigException("--encoding", $"--encoding: unknown encoding {(int)Encoding}");
        if (MaxMemory is <= 0) throw new ConfigException("--max-memory", $"--max-memory must be positive (got {MaxMemory})");
        CheckMemory(1, 0);
    }

    /// <summary>The options that may change when a run is resumed (the budget, the reporting intervals, the corpus and threads), as typed.</summary>
    public static readonly string[] ResumableOptions =
        { "--steps", "--minutes", "--eval-every", "--sample-every", "--checkpoint-every", "--corpus", "--encoding", "--threads" };

    /// <summary>The settings that must stay the same when a run is resumed (all but <see cref="ResumableOptions"/>).</summary>
    public TextTrainConfig Fixed() => this with
    {
        Steps = null, Minutes = null, EvalEvery = 0, SampleEvery = 0, CheckpointEvery = 0, Corpus = "", Encoding = TextEncoding.Utf8, Threads = 1,
    };

    /// <summary>
    /// Reads settings saved in a checkpoint: every key must be there, except those older checkpoints
    /// lack: threads (then 1), and the corpus keys of runs from before Gutenberg stripping and the
    /// block split (then what those runs did: UTF-8, the boilerplate kept, the tail split), so they
    /// resume exactly as they were trained.
    /// </summary>
    public static TextTrainConfig FromJson(JsonNode? node, string context)
    {
        if (node is JsonObject o && !(o.ContainsKey("threads") && o.ContainsKey("validation_split")))
        {
            o = (JsonObject)o.DeepClone();
            if (!o.ContainsKey("threads")) o["threads"] = 1;
            if (!o.ContainsKey("validation_split"))
            {
                o["encoding"] ??= "utf-8";
                o["keep_gutenberg"] ??= true;
                o["validation_split"] = "tail";
                o["validation_block"] ??= TextCorpusOptions.DefaultBlockSize;
            }
            node = o;
        }
        var c = RunJson.FromNode<TextTrainConfig>(node, context + ": train", requireAll: true);
        try { (c with { MaxMemory = long.MaxValue }).Validate(); }   // the memory limit is the resuming machine's
        catch (ArgumentException e) { throw new InvalidDataException($"{context}: {e.Message}"); }
        return c;
    }
}
