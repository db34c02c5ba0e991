using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// Palindrome digits: a random palindrome of T digits 0–9 (the first ceil(T/2) digits uniform,
/// then mirrored; for odd T the middle digit is not repeated). Input: the first T−1 digits
/// (symbols 0–9, no padding); label: the last digit, which equals the first one, so the network
/// must remember it for T−1 steps. 10 classes. T ≥ 2.
/// </summary>
public sealed class PalindromeTask : SequenceTaskBase
{
    /// <summary>The factory name.</summary>
    public const string TaskName = "palindrome";

    /// <summary>Creates the task for palindromes of <paramref name="length"/> digits (2..1,000,000).</summary>
    public PalindromeTask(int length)
        : base(TaskName, length, SequenceTasks.MaxLength, inputLength: length - 1, vocabularySize: 10, numClasses: 10)
    {
    }

    /// <inheritdoc/>
    protected override void Generate(Rng rng, int batch, Span<int> inputs, Span<int> labels)
    {
        int t = Length, half = (t + 1) / 2;
        for (int b = 0; b < batch; b++)
        {
            Span<int> row = inputs.Slice(b * InputLength, InputLength);
            int first = 0;
            for (int i = 0; i < half; i++)
            {
                int d = rng.NextInt(10);
                if (i == 0) first = d;
                // position i and its mirror t−1−i; the mirror of 0 is the label, not an input
                if (i < t - 1) row[i] = d;
                int mirror = t - 1 - i;
                if (mirror != i && mirror < t - 1) row[mirror] = d;
            }
            labels[b] = first;
        }
    }
}
