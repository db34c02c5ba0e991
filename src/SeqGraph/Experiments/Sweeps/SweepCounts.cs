namespace SeqGraph.Experiments.Sweeps;

/// <summary>How many of a sweep's trials stand where.</summary>
/// <param name="Done">Finished and not diverged.</param>
/// <param name="Diverged">Finished, diverged (never re-run).</param>
/// <param name="Interrupted">Stopped part-way (re-run by the next submission).</param>
/// <param name="Failed">Ended with an error or killed (re-run by the next submission).</param>
/// <param name="Running">Held by a process now.</param>
/// <param name="Pending">Not started.</param>
public sealed record SweepCounts(int Done = 0, int Diverged = 0, int Interrupted = 0, int Failed = 0, int Running = 0, int Pending = 0)
{
    /// <summary>The counts of <paramref name="states"/>.</summary>
    public static SweepCounts Of(IEnumerable<TrialStatus> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var s = states.Select(t => t.State).ToList();
        int N(TrialState x) => s.Count(v => v == x);
        return new(N(TrialState.Done), N(TrialState.Diverged), N(TrialState.Interrupted), N(TrialState.Failed), N(TrialState.Running), N(TrialState.Pending));
    }

    /// <summary>"6 done · 1 failed · 1 pending" (states with none left out).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        void Add(int n, string what) { if (n > 0) parts.Add($"{n} {what}"); }
        Add(Done, "done"); Add(Diverged, "diverged"); Add(Running, "running"); Add(Interrupted, "interrupted"); Add(Failed, "failed"); Add(Pending, "pending");
        return parts.Count == 0 ? "no trials" : string.Join(" · ", parts);
    }
}
