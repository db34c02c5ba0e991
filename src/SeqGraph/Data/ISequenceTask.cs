using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// A toy sequence-classification task whose examples are generated on the fly from a seeded
/// <see cref="Rng"/>: each example is <see cref="InputLength"/> integer symbols in
/// [0, <see cref="VocabularySize"/>) and one label in [0, <see cref="NumClasses"/>).
/// </summary>
public interface ISequenceTask
{
    /// <summary>The task name accepted by <see cref="SequenceTasks.Create"/>.</summary>
    string Name { get; }

    /// <summary>The task's length parameter T (not necessarily the input length).</summary>
    int Length { get; }

    /// <summary>Number of input symbols per example.</summary>
    int InputLength { get; }

    /// <summary>Number of distinct input symbols, the padding symbol included where there is one.</summary>
    int VocabularySize { get; }

    /// <summary>Number of label classes.</summary>
    int NumClasses { get; }

    /// <summary>
    /// Draws <paramref name="batch"/> fresh examples. <paramref name="inputs"/> receives them
    /// row-major as [batch, InputLength] and must have exactly that length;
    /// <paramref name="labels"/> receives one label per example and must have length
    /// <paramref name="batch"/>. The same generator state gives the same batch.
    /// </summary>
    void Sample(Rng rng, int batch, Span<int> inputs, Span<int> labels);
}
