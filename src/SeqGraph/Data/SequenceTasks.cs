using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>Creates the toy sequence tasks by name and holds their shared argument checks.</summary>
public static class SequenceTasks
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        new[] { PalindromeTask.TaskName, BinaryPalindromeTask.TaskName, RandomCombinationsTask.TaskName, BaumSweetTask.TaskName };

    /// <summary>
    /// Creates the task <paramref name="name"/> (case-insensitive) with length parameter
    /// <paramref name="length"/>. Valid lengths: palindrome 2..1,000,000; binary-palindrome
    /// 2..1,000,000; random-combinations 2..1,000,000; baum-sweet 2..18.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or a length outside the task's range.</exception>
    public static ISequenceTask Create(string name, int length)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            PalindromeTask.TaskName => new PalindromeTask(length),
            BinaryPalindromeTask.TaskName => new BinaryPalindromeTask(length),
            RandomCombinationsTask.TaskName => new RandomCombinationsTask(length),
            BaumSweetTask.TaskName => new BaumSweetTask(length),
            _ => throw new ArgumentException(
                $"unknown task '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>Allocates and fills one batch: inputs [batch, InputLength] row-major, labels [batch].</summary>
    public static (int[] Inputs, int[] Labels) SampleBatch(this ISequenceTask task, Rng rng, int batch)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        var inputs = new int[checked(batch * task.InputLength)];
        var labels = new int[batch];
        task.Sample(rng, batch, inputs, labels);
        return (inputs, labels);
    }

    /// <summary>Largest length accepted by the tasks that have no tighter limit.</summary>
    internal const int MaxLength = 1_000_000;

    /// <summary>Returns <paramref name="length"/>; throws unless it is in <paramref name="min"/>..<paramref name="max"/>.</summary>
    internal static int CheckLength(string task, int length, int min, int max)
    {
        if (length < min || length > max)
            throw new ArgumentException(
                $"task '{task}' needs a length T in {min}..{max}, got {length}", nameof(length));
        return length;
    }

    internal static void CheckBuffers(ISequenceTask task, Rng rng, int batch, Span<int> inputs, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long need = (long)batch * task.InputLength;
        if (inputs.Length != need)
            throw new ArgumentException(
                $"inputs must hold batch × InputLength = {batch} × {task.InputLength} = {need} values, got {inputs.Length}", nameof(inputs));
        if (labels.Length != batch)
            throw new ArgumentException($"labels must hold {batch} values, got {labels.Length}", nameof(labels));
    }
}
