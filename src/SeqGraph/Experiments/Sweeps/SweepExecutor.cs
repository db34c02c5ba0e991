namespace SeqGraph.Experiments.Sweeps;

/// <summary>Where a sweep's trials run.</summary>
public enum SweepExecutor
{
    /// <summary>In this process, <see cref="SweepConfig.Jobs"/> at a time.</summary>
    Local,

    /// <summary>As a Slurm job array (one array task per trial), with a dependent job that collects.</summary>
    Slurm,
}
