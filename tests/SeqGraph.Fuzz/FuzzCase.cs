namespace SeqGraph.Fuzz;

/// <summary>
/// One mutant: the command line to run, what was mutated (a file path or an option name, which a
/// rejection must name), and what counts as right.
/// </summary>
/// <param name="Family">checkpoints, corpora, graphs or options.</param>
/// <param name="Index">The case's index: with the seed it regenerates the case (--replay).</param>
/// <param name="Args">The seqgraph command line.</param>
/// <param name="Mutation">What was done, for the report.</param>
/// <param name="Names">Strings of which a rejection's line must contain at least one (file name, path or option).</param>
/// <param name="MustReject">True for a changed checkpoint: exit 0 is a silently accepted corruption.</param>
/// <param name="InputBytes">Size of the case's input files, for the memory bound.</param>
/// <param name="MayRunLong">The mutated option asks for more work (steps, epochs, length): running past the timeout and stopping on SIGINT is fine.</param>
/// <param name="Fifo">A FIFO given as input, released on timeout so a reader blocked on it returns.</param>
/// <param name="Timeout">A shorter timeout than the run's (a FIFO case: reading one never takes long).</param>
/// <param name="EndsOnSignal">The command has no cancellation (bench): SIGINT ends a real process, so a long run not stopped in-process is not a hang.</param>
internal sealed record FuzzCase(
    string Family, int Index, string[] Args, string Mutation, string[] Names,
    bool MustReject = false, long InputBytes = 0, bool MayRunLong = false, string? Fifo = null, TimeSpan? Timeout = null, bool EndsOnSignal = false);
