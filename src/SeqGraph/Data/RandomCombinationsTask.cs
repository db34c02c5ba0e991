using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// Random combinations: a uniformly random permutation of 0..T−1. Input: its first T−1 numbers
/// (symbols 0..T−1); label: the missing last number (T classes). T ≥ 2.
/// </summary>
public sealed class RandomCombinationsTask : SequenceTaskBase
{
    /// <summary>The factory name.</summary>
    public const string TaskName = "random-combinations";

    /// <summary>Creates the task for permutations of 0..<paramref name="length"/>−1 (2..1,000,000).</summary>
    public RandomCombinationsTask(int length)
        : base(TaskName, length, SequenceTasks.MaxLength, inputLength: length - 1, vocabularySize: length, numClasses: length)
    {
    }

    /// <inheritdoc/>
    protected override void Generate(Rng rng, int batch, Span<int> inputs, Span<int> labels)
    {
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
