using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// Random combinations: a uniformly random permutation of 0..T−1. Input: its first T−1 numbers
/// (symbols 0..T−1); label: the missing last number (T classes). T ≥ 2.
/// </summary>
public sealed class RandomCombinationsTask : ISequenceTask
{
    /// <summary>The factory name.</summary>
    public const string TaskName = "random-combinations";

    /// <summary>Creates the task for permutations of 0..<paramref name="length"/>−1 (2..1,000,000).</summary>
    public RandomCombinationsTask(int length)
    {
        SequenceTasks.CheckLength(TaskName, length, 2, SequenceTasks.MaxLength);
        Length = length;
    }

    /// <inheritdoc/>
    public string Name => TaskName;

    /// <inheritdoc/>
    public int Length { get; }

    /// <inheritdoc/>
    public int InputLength => Length - 1;

    /// <inheritdoc/>
    public int VocabularySize => Length;

    /// <inheritdoc/>
    public int NumClasses => Length;

    /// <inheritdoc/>
    public void Sample(Rng rng, int batch, Span<int> inputs, Span<int> labels)
    {
        SequenceTasks.CheckBuffers(this, rng, batch, inputs, labels);
        var perm = new int[Length];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < perm.Length; i++) perm[i] = i;
            rng.Shuffle(perm.AsSpan());
            perm.AsSpan(0, InputLength).CopyTo(inputs.Slice(b * InputLength, InputLength));
            labels[b] = perm[^1];
        }
    }
}
