using System.Text.Json.Serialization;
using SeqGraph.Data;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn train</c>: one recurrent model on one memorization task and length, trained with the
/// <see cref="SequenceTrainOptions"/> it inherits. The defaults are the command line's.
/// </summary>
public sealed record RnnTrainConfig : SequenceTrainOptions, IExperimentConfig
{
    /// <summary>palindrome | binary-palindrome | random-combinations | baum-sweet.</summary>
    public string Task { get; init; } = "palindrome";

    /// <summary>The task's sequence length T.</summary>
    public int Length { get; init; } = 5;

    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; } = RecurrentModel.Rnn;

    /// <summary>Fused layers (hand-derived BPTT) or the reference cells (autograd).</summary>
    public RecurrentImpl Impl { get; init; } = RecurrentImpl.Fused;

    /// <summary>Embedding size; 0 for one-hot input.</summary>
    public int Embed { get; init; }

    /// <summary>Hidden units per layer.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Stacked recurrent layers.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Initialisation of the weight matrices.</summary>
    public InitScheme Init { get; init; } = InitScheme.Default;

    /// <summary>
    /// Forget-gate bias of LSTM cells (1 by default, as Keras's unit_forget_bias; the remedy of
    /// Gers et al. 2000 and Jozefowicz et al. 2015); null keeps PyTorch's uniform initialisation.
    /// </summary>
    public float? ForgetBias { get; init; } = 1f;

    /// <summary>Threads for the engine's kernels during this run (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Most bytes the run may need (<c>--max-memory</c>); null: <see cref="MemoryEstimate.DefaultLimit"/>. A limit of the
    /// machine, not a setting of the run, so not in config.json.
    /// </summary>
    [JsonIgnore]
    public long? MaxMemory { get; init; }

    /// <summary>The memory the run needs (see <see cref="MemoryEstimate.ForSequence"/>); the sizes must be valid.</summary>
    public MemoryEstimate Memory()
    {
        var task = CreateTask();
        return MemoryEstimate.ForSequence(Model.Cell(), Model.Bidirectional(), task.VocabularySize, task.NumClasses, Embed, Hidden, Layers,
            task.InputLength, Batch, Impl == RecurrentImpl.Reference);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!SequenceTasks.Names.Contains(Task)) throw new ConfigException("--task", $"--task: unknown task '{Task}' (choose {string.Join(", ", SequenceTasks.Names)})");
        try { SequenceTasks.Create(Task, Length); }
        catch (ArgumentException e) { throw new ConfigException("--length", $"--length: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}"); }
        if (!Enum.IsDefined(Model)) throw new ConfigException("--model", $"--model: unknown model '{Model}'");
        ConfigException.NonNegative("--input embed:N", Embed);
        ConfigException.Positive("--hidden", Hidden);
        ConfigException.Positive("--layers", Layers);
        if (ForgetBias is float fb && !float.IsFinite(fb)) throw new ConfigException("--forget-bias", $"--forget-bias must be a finite number (got {fb})");
        ConfigException.Positive("--threads", Threads);
        if (Optimizer == Optim.OptimizerKind.Adam && Momentum != 0)
            throw new ConfigException("--momentum", "--momentum: adam has no momentum term (it applies to sgd and rmsprop)");
        if (Layers > 64) throw new ConfigException("--layers", $"--layers must be at most 64 (got {Layers})");
        base.Validate();
        long tokens = (long)Batch * CreateTask().InputLength;
        if (tokens > MaxBatchTokens) throw new ConfigException("--batch", $"--batch × the input length ({Batch:N0} × {CreateTask().InputLength:N0}) must be at most {MaxBatchTokens:N0} tokens per step");
        if (MaxMemory is <= 0) throw new ConfigException("--max-memory", $"--max-memory must be positive (got {MaxMemory})");
        var (option, value) = MemoryEstimate.Culprit(("--hidden", Hidden, 128), ("--batch", Batch, 128), ("--length", Length, 20), ("--layers", Layers, 1), ("--input embed:N", Embed, 16));
        Memory().Check(MaxMemory, option, value);
    }

    /// <summary>Most tokens (batch × input length) one step may hold.</summary>
    public const long MaxBatchTokens = 1L << 26;

    /// <summary>The task this config names.</summary>
    public ISequenceTask CreateTask() => SequenceTasks.Create(Task, Length);

    /// <summary>The model this config describes, initialised from its seed (weights by <see cref="Init"/>, the LSTM forget-gate bias by <see cref="ForgetBias"/>).</summary>
    public SequenceClassifier CreateModel(ISequenceTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var rng = new Rng(Seed);
        var model = new SequenceClassifier(Model.Cell(), task.VocabularySize, task.NumClasses, Hidden, rng, Embed, Layers, Model.Bidirectional(), 0f, Impl);
        model.Rnn.InitWeights(Init, rng);
        if (ForgetBias is float fb && Recurrent.HasCell(Model.Cell())) model.Rnn.InitForgetBias(fb);
        return model;
    }

    /// <summary>A short label for progress lines and plots: "lstm T=20".</summary>
    [JsonIgnore]
    public string Label => $"{Model.Name()} T={Length}";
}
