using System.Text.Json.Nodes;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>A trial and where it stands.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="State">Its state.</param>
/// <param name="Note">Why it failed, who runs it, or its outcome; empty when pending.</param>
/// <param name="Record">Its trial.json, when written.</param>
/// <param name="Summary">Its run's summary.json, when finished.</param>
public sealed record TrialStatus(SweepTrial Trial, TrialState State, string Note, TrialRecord? Record, JsonObject? Summary)
{
    /// <summary>Done or diverged: a finished trial is never run again.</summary>
    public bool Finished => State is TrialState.Done or TrialState.Diverged;
}
