using System.Text.Json.Nodes;
using SeqGraph.Nn.Recurrent;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>Settings of a character-level training run; the defaults are those of SPEC.md section 2.</summary>
public sealed record TextTrainConfig
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
    public float LearningRate { get; init; } = 2e-3f;
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

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Positive(string name, double v) { if (!(v > 0)) throw new ArgumentException($"--{name} must be positive (got {v})"); }
        static void NonNegative(string name, double v) { if (!(v >= 0)) throw new ArgumentException($"--{name} must be 0 or more (got {v})"); }
        Positive("seq", Seq); Positive("batch", Batch); Positive("hidden", Hidden); Positive("layers", Layers); Positive("embed", Embed);
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"--dropout must be in [0, 1) (got {Dropout})");
        Positive("lr", LearningRate); Positive("lr-decay", LrDecay); Positive("lr-step", LrStep); NonNegative("clip", Clip);
        if (Steps is { } s) Positive("steps", s);
        if (Minutes is { } m) Positive("minutes", m);
        NonNegative("eval-every", EvalEvery); NonNegative("sample-every", SampleEvery); NonNegative("checkpoint-every", CheckpointEvery);
        Positive("log-every", LogEvery);
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.5)) throw new ArgumentException($"validation fraction must be in [0, 0.5] (got {ValidationFraction})");
    }

    /// <summary>Every setting as JSON (snake_case keys, as in config.json).</summary>
    public JsonObject ToJson() => new()
    {
        ["corpus"] = Corpus, ["seq"] = Seq, ["batch"] = Batch, ["hidden"] = Hidden, ["layers"] = Layers, ["embed"] = Embed,
        ["dropout"] = Dropout, ["lr"] = LearningRate, ["lr_decay"] = LrDecay, ["lr_step"] = LrStep, ["clip"] = Clip,
        ["steps"] = Steps, ["minutes"] = Minutes, ["eval_every"] = EvalEvery, ["sample_every"] = SampleEvery,
        ["checkpoint_every"] = CheckpointEvery, ["log_every"] = LogEvery, ["validation_fraction"] = ValidationFraction,
        ["max_eval_chars"] = MaxEvalChars, ["seed"] = Seed,
    };

    /// <summary>Reads settings written by <see cref="ToJson"/>; <paramref name="context"/> names the source in errors.</summary>
    public static TextTrainConfig FromJson(JsonNode? node, string context)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{context}: \"train\" settings are missing");
        T Get<T>(string key)
        {
            if (o[key] is JsonValue v && v.TryGetValue<T>(out var x)) return x;
            throw new InvalidDataException($"{context}: train setting \"{key}\" is missing or has the wrong type");
        }
        T? Opt<T>(string key) where T : struct => o[key] is null ? null : Get<T>(key);
        var c = new TextTrainConfig
        {
            Corpus = Get<string>("corpus"), Seq = Get<int>("seq"), Batch = Get<int>("batch"), Hidden = Get<int>("hidden"),
            Layers = Get<int>("layers"), Embed = Get<int>("embed"), Dropout = Get<float>("dropout"), LearningRate = Get<float>("lr"),
            LrDecay = Get<float>("lr_decay"), LrStep = Get<int>("lr_step"), Clip = Get<float>("clip"), Steps = Opt<int>("steps"),
            Minutes = Opt<double>("minutes"), EvalEvery = Get<int>("eval_every"), SampleEvery = Get<int>("sample_every"),
            CheckpointEvery = Get<int>("checkpoint_every"), LogEvery = Get<int>("log_every"),
            ValidationFraction = Get<double>("validation_fraction"), MaxEvalChars = Get<int>("max_eval_chars"), Seed = Get<ulong>("seed"),
        };
        try { c.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{context}: {e.Message}"); }
        return c;
    }
}
