namespace SeqGraph.Data;

/// <summary>How <see cref="TextCorpus.Load(string, TextCorpusOptions?, IReadOnlyList{int}?)"/> reads and splits a file.</summary>
public sealed record TextCorpusOptions
{
    /// <summary>Default size of a validation block, in characters.</summary>
    public const int DefaultBlockSize = 2000;

    /// <summary>The file's encoding.</summary>
    public TextEncoding Encoding { get; init; } = TextEncoding.Utf8;

    /// <summary>
    /// Keep a Project Gutenberg header and licence; when false (the default) the text before the
    /// "*** START OF THE/THIS PROJECT GUTENBERG EBOOK" line and from the "*** END OF …" line on is dropped.
    /// </summary>
    public bool KeepGutenberg { get; init; }

    /// <summary>Share of the characters held out for validation, in [0, 0.5].</summary>
    public double ValidationFraction { get; init; } = TextCorpus.DefaultValidationFraction;

    /// <summary>Where the validation characters come from.</summary>
    public ValidationSplit Split { get; init; } = ValidationSplit.Blocks;

    /// <summary>
    /// Characters per block with <see cref="ValidationSplit.Blocks"/>; a text too short for ten
    /// validation blocks of this size uses blocks of length / (10 N) characters (at least 2).
    /// </summary>
    public int BlockSize { get; init; } = DefaultBlockSize;
}
