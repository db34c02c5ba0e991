using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>
/// A training step found a NaN or an infinity (in the loss, the gradients, or the state about to be
/// saved) and stopped before applying it. The trainers' loops catch it and end the run marked
/// diverged (<see cref="Divergence"/>); it reaches a caller only from a single step
/// (<see cref="SequenceTrainer.TrainStep"/>, <see cref="TextTrainer.TrainStep"/>) or a save.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>What went non-finite (<see cref="Divergence.What"/>); <paramref name="message"/> says so in words, e.g. "the loss is NaN".</summary>
    public TrainingDivergedException(string what, string message) : base(message) => What = what;

    /// <summary>"loss", "gradient", "weights" or "optimizer state".</summary>
    public string What { get; }

    /// <summary>
    /// Throws when <paramref name="loss"/> or <paramref name="gradNorm"/> is not finite. The norm is
    /// the global norm clipping computes (accumulated in double, so it is finite exactly when every
    /// gradient element is, unless it exceeds the float range); NaN for "not computed" is not allowed
    /// here: pass the norm, or use <see cref="ThrowIfNonFinite(double, IEnumerable{Tensor})"/>.
    /// </summary>
    public static void ThrowIfNonFinite(double loss, double gradNorm)
    {
        if (!double.IsFinite(loss)) throw new TrainingDivergedException("loss", $"the loss is {Finite.Describe(loss)}");
        if (!double.IsFinite(gradNorm)) throw new TrainingDivergedException("gradient", $"the gradient norm is {Finite.Describe(gradNorm)}");
    }

    /// <summary>Throws when <paramref name="loss"/> or a gradient of <paramref name="parameters"/> is not finite (one vectorised pass per gradient).</summary>
    public static void ThrowIfNonFinite(double loss, IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(loss)) throw new TrainingDivergedException("loss", $"the loss is {Finite.Describe(loss)}");
        foreach (var p in parameters)
            if (p.Grad is { } g && !Finite.All(g.Data)) throw new TrainingDivergedException("gradient", "the gradients hold a NaN or an infinity");
    }

    /// <summary>Throws when a tensor about to be saved is not finite: "weights", or "optimizer state" for names starting with <paramref name="statePrefix"/>.</summary>
    public static void ThrowIfNonFinite(IEnumerable<KeyValuePair<string, Tensor>> tensors, string statePrefix)
    {
        if (Finite.FirstNonFinite(tensors) is not { } bad) return;
        bool state = bad.StartsWith(statePrefix, StringComparison.Ordinal);
        throw new TrainingDivergedException(state ? "optimizer state" : "weights",
            $"the {(state ? "optimizer state" : "weights")} are not finite ({bad} holds a NaN or an infinity; it is not saved)");
    }
}
