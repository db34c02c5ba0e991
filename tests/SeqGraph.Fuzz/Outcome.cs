namespace SeqGraph.Fuzz;

/// <summary>What one case did. The last six are defects.</summary>
internal enum Outcome
{
    /// <summary>Exit 0 where that is right (a valid value, an unchanged file), or a long run stopped by SIGINT as asked.</summary>
    Ok,
    /// <summary>Exit 2 with exactly one line "seqgraph: error: …" naming the mutated file or option.</summary>
    Rejected,
    /// <summary>Exit 3: the run stopped on a non-finite loss or gradient.</summary>
    Diverged,
    /// <summary>Exit 1 (or any other code, or an exception out of CliApp.Run).</summary>
    InternalError,
    /// <summary>No result within the timeout (a long-running option stopped cleanly by SIGINT is not one).</summary>
    Hang,
    /// <summary>Exit 0 on a checkpoint whose bytes were changed.</summary>
    SilentCorruption,
    /// <summary>Exit 2 but not one line, not "seqgraph: error:", or not naming the file or option.</summary>
    BadMessage,
    /// <summary>The heap grew past the case's bound, or the run ran out of memory.</summary>
    OverMemory,
}
