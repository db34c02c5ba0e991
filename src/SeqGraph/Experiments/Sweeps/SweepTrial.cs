namespace SeqGraph.Experiments.Sweeps;

/// <summary>One point of a sweep's grid: its number (1, 2, …, in grid order), its run folder inside
/// the sweep folder, and the value of each axis.</summary>
/// <param name="Number">1-based, in the order <see cref="SweepGrid.Expand"/> gives.</param>
/// <param name="Folder">Its run folder's name inside the sweep folder (<c>trial-003</c>).</param>
/// <param name="Values">Axis name → value, in the grid's order.</param>
public sealed record SweepTrial(int Number, string Folder, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>"model=rnn length=5 seed=0".</summary>
    public string Label => string.Join(" ", Values.Select(v => $"{v.Key}={v.Value}"));
}
