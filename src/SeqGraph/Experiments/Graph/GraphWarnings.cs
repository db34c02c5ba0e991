using SeqGraph.Data;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// What about a graph lets training run but makes its result mean less than it seems, one line
/// each: no edges between nodes (the model then sees each node's own features only), and classes
/// without a training node (never taught, only scored). <c>graph train</c> reports them before its
/// first epoch and keeps them in summary.json (<see cref="GraphTrainResult.Warnings"/>).
/// </summary>
public static class GraphWarnings
{
    /// <summary>The warnings for <paramref name="data"/>, in a fixed order (empty when there is nothing to say).</summary>
    public static IReadOnlyList<string> For(CitationGraph data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var warnings = new List<string>();
        string file = data.EdgeFile.Length > 0 ? data.EdgeFile : data.Name;
        if (data.Graph.DirectedEntries - data.Graph.SelfLoopsKept <= 0)
            warnings.Add($"{file}: the graph has no edges between nodes, so the model sees each node's own features only (no message passing)");
        var taught = new bool[data.NumClasses];
        foreach (int i in data.Train)
            if (data.Labels[i] >= 0) taught[data.Labels[i]] = true;
        var missing = Enumerable.Range(0, data.NumClasses).Where(c => !taught[c]).ToList();
        if (missing.Count > 0)
        {
            string names = string.Join(", ", missing.Take(5).Select(c => $"'{data.ClassNames[c]}'")) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
            warnings.Add($"{data.Name}: {(missing.Count == 1 ? "class" : $"{missing.Count} classes")} {names} {(missing.Count == 1 ? "has" : "have")} no node in the training split, so the model is never taught {(missing.Count == 1 ? "it" : "them")} (its nodes are only scored)");
        }
        return warnings;
    }
}
