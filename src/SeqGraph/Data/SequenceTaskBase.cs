using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// What the built-in tasks share: a name, a length parameter T checked against the task's range
/// (T ≥ 2 for all of them), sizes fixed once T is known, and the argument checks of
/// <see cref="Sample"/>. A task supplies its sizes and <see cref="Generate"/>.
/// </summary>
/// <param name="name">The task's factory name, also used in the error for a bad length.</param>
/// <param name="length">The length parameter T; an <see cref="ArgumentException"/> unless in 2..<paramref name="maxLength"/>.</param>
/// <param name="maxLength">The largest T the task accepts.</param>
/// <param name="inputLength">Input symbols per example for this T.</param>
/// <param name="vocabularySize">Distinct input symbols for this T.</param>
/// <param name="numClasses">Label classes for this T.</param>
public abstract class SequenceTaskBase(string name, int length, int maxLength, int inputLength, int vocabularySize, int numClasses)
    : ISequenceTask
{
    /// <inheritdoc/>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public int Length { get; } = SequenceTasks.CheckLength(name, length, 2, maxLength);

    /// <inheritdoc/>
    public int InputLength { get; } = inputLength;

    /// <inheritdoc/>
    public int VocabularySize { get; } = vocabularySize;

    /// <inheritdoc/>
    public int NumClasses { get; } = numClasses;

    /// <inheritdoc/>
    public void Sample(Rng rng, int batch, Span<int> inputs, Span<int> labels)
    {
        SequenceTasks.CheckBuffers(this, rng, batch, inputs, labels);
        Generate(rng, batch, inputs, labels);
    }

    /// <summary>
    /// Fills <paramref name="batch"/> examples, the arguments already checked: <paramref name="inputs"/>
    /// is [batch, InputLength] row-major, <paramref name="labels"/> has one entry per example.
    /// </summary>
    protected abstract void Generate(Rng rng, int batch, Span<int> inputs, Span<int> labels);
}
