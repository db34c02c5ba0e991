namespace SeqGraph.Data;

/// <summary>Which characters of a corpus are held out for validation.</summary>
public enum ValidationSplit
{
    /// <summary>
    /// The text cut into blocks of a fixed size; every Nth block (N = 1 / validation fraction, 20 for
    /// 5%) is validation, so the held-out text is spread over the whole book (the default).
    /// </summary>
    Blocks,

    /// <summary>The last share of the file (how runs before blocks were split; kept so their checkpoints resume).</summary>
    Tail,
}
