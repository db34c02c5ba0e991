using SeqGraph.Training;

namespace SeqGraph.Experiments;

/// <summary>
/// The result of an experiment that trains and can diverge: <see cref="Diverged"/> says where a NaN
/// or an infinity stopped it (null when none did), so the command line exits with its own code and
/// the dashboard shows the run as diverged, whatever the experiment.
/// </summary>
public interface IDivergingResult
{
    /// <summary>Where the run diverged, or null.</summary>
    Divergence? Diverged { get; }
}
