namespace SeqGraph.Training;

/// <summary>
/// A model's outputs (logits or loss) came out NaN or infinite while sampling or scoring: its weights
/// are too large or damaged. The experiments turn it into bad input naming the checkpoint file
/// (<see cref="ForFile"/>: an <see cref="InvalidDataException"/>); text training ends the run as diverged.
/// </summary>
public sealed class NonFiniteOutputException : Exception
{
    /// <summary>The outputs went non-finite at <paramref name="where"/> (e.g. "character 12 of the sample").</summary>
    public NonFiniteOutputException(string where)
        : base($"the model's outputs are not finite (a NaN or an infinity at {where}): its weights are too large or damaged") { }

    /// <summary>The error as bad input in the checkpoint file <paramref name="path"/>, named first.</summary>
    public InvalidDataException ForFile(string path) => new($"{path}: {Message}", this);
}
