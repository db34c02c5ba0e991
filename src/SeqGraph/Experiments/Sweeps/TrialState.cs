namespace SeqGraph.Experiments.Sweeps;

/// <summary>Where a sweep's trial stands, read from its folder alone (<see cref="SweepFolder.Status"/>).</summary>
public enum TrialState
{
    /// <summary>Not started: no folder, or an empty one.</summary>
    Pending,

    /// <summary>A process holds the trial folder's writer lock.</summary>
    Running,

    /// <summary>Finished: its summary.json is written and not marked interrupted or diverged.</summary>
    Done,

    /// <summary>Finished, diverged (a NaN or an infinity stopped it; the same settings diverge again): never re-run.</summary>
    Diverged,

    /// <summary>Stopped part-way (Ctrl-C, SIGTERM, a Slurm time limit or cancel): re-run by the next submission.</summary>
    Interrupted,

    /// <summary>Ended with an error, or killed without a summary: re-run by the next submission.</summary>
    Failed,
}
