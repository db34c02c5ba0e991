namespace SeqGraph.Optim;

/// <summary>
/// Step decay of the learning rate, as <c>torch.optim.lr_scheduler.StepLR</c>: after
/// <see cref="Step"/> has been called <c>count</c> times the optimizer's learning rate is
/// <c>baseLr · gamma^⌊count / stepSize⌋</c> (computed in double, rounded to float32), where
/// baseLr is the optimizer's learning rate when the scheduler was created.
/// </summary>
/// <remarks>
/// Call <see cref="Step"/> exactly once per training step, after <see cref="Optimizer.Step"/>
/// (so <c>stepSize</c> counts optimizer steps; call it once per epoch instead to count epochs, as
/// in PyTorch). Its whole state is <see cref="Count"/> and <see cref="BaseLr"/>; save
/// <see cref="ExportState"/> with the optimizer's state to resume.
/// </remarks>
public sealed class StepLr
{
    /// <summary>Key of <see cref="Count"/> in <see cref="ExportState"/>.</summary>
    public const string CountKey = "last_epoch";

    /// <summary>Key of <see cref="BaseLr"/> in <see cref="ExportState"/>.</summary>
    public const string BaseLrKey = "base_lr";

    /// <summary>Attaches to <paramref name="optimizer"/>, taking its current learning rate as the base.</summary>
    /// <param name="optimizer">The optimizer whose learning rate is scheduled.</param>
    /// <param name="stepSize">Number of <see cref="Step"/> calls between decays (&gt; 0).</param>
    /// <param name="gamma">Multiplicative decay factor (finite, ≥ 0).</param>
    public StepLr(Optimizer optimizer, int stepSize, float gamma = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), $"step size must be positive, got {stepSize}");
        if (!float.IsFinite(gamma) || gamma < 0) throw new ArgumentOutOfRangeException(nameof(gamma), $"invalid gamma {gamma}");
        Optimizer = optimizer;
        StepSize = stepSize;
        Gamma = gamma;
        BaseLr = optimizer.LearningRate;
        Apply();
    }

    /// <summary>The scheduled optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Number of <see cref="Step"/> calls between decays.</summary>
    public int StepSize { get; }

    /// <summary>Multiplicative decay factor.</summary>
    public float Gamma { get; }

    /// <summary>The learning rate at count 0.</summary>
    public float BaseLr { get; private set; }

    /// <summary>How many times <see cref="Step"/> has been called (PyTorch's <c>last_epoch</c>).</summary>
    public long Count { get; private set; }

    /// <summary>The learning rate most recently set on the optimizer.</summary>
    public float LastLr { get; private set; }

    /// <summary>The learning rate after <paramref name="count"/> calls to <see cref="Step"/>.</summary>
    public float LearningRateAt(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return (float)(BaseLr * Math.Pow(Gamma, count / StepSize));
    }

    /// <summary>Advances the count by one and sets the optimizer's learning rate from the formula.</summary>
    public void Step()
    {
        Count++;
        Apply();
    }

    /// <summary>The scheduler state: <see cref="CountKey"/> and <see cref="BaseLrKey"/>, exact as doubles.</summary>
    public IReadOnlyDictionary<string, double> ExportState() =>
        new Dictionary<string, double> { [CountKey] = Count, [BaseLrKey] = BaseLr };

    /// <summary>
    /// Restores <see cref="Count"/> and <see cref="BaseLr"/> and sets the optimizer's learning rate
    /// from the formula (so the order of loading optimizer and scheduler does not matter).
    /// Throws <see cref="InvalidDataException"/> for missing, unknown or invalid entries.
    /// </summary>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var key in state.Keys)
            if (key != CountKey && key != BaseLrKey) throw new InvalidDataException($"unexpected StepLr state '{key}'");
        if (!state.TryGetValue(CountKey, out double count)) throw new InvalidDataException($"StepLr state lacks '{CountKey}'");
        if (!state.TryGetValue(BaseLrKey, out double baseLr)) throw new InvalidDataException($"StepLr state lacks '{BaseLrKey}'");
        if (!(count >= 0 && count <= 9007199254740992.0 && Math.Floor(count) == count))
            throw new InvalidDataException($"StepLr state '{CountKey}' = {count} is not a non-negative integer");
        float lr = (float)baseLr;
        if (!float.IsFinite(lr) || lr < 0 || lr != baseLr)
            throw new InvalidDataException($"StepLr state '{BaseLrKey}' = {baseLr} is not a valid float32 learning rate");
        Count = (long)count;
        BaseLr = lr;
        Apply();
    }

    private void Apply()
    {
        LastLr = LearningRateAt(Count);
        Optimizer.LearningRate = LastLr;
    }
}
