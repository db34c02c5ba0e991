namespace SeqGraph.Experiments.Graph;

/// <summary><c>graph inspect</c>: Ã = A + I, Â, hop distances and the GCN depth needed between two nodes of a small graph.</summary>
public sealed record GraphInspectConfig : IExperimentConfig
{
    /// <summary>Edge list: two node names per line (tab or space separated).</summary>
    public string Edges { get; init; } = "";

    /// <summary>Node whose information should travel (with <see cref="To"/>).</summary>
    public string? From { get; init; }

    /// <summary>Node it should reach.</summary>
    public string? To { get; init; }

    /// <summary>Treat each line u v as the one-way edge u → v.</summary>
    public bool Directed { get; init; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Edges)) throw new ConfigException("--edges", "--edges: no file given");
        if ((From is null) != (To is null)) throw new ConfigException("--from", "--from and --to go together");
    }
}
