namespace SeqGraph.Experiments.Export;

/// <summary>One input or output of an exported model.</summary>
/// <param name="Name">Its name in the exported file.</param>
/// <param name="Type">Element type ("float", "int64").</param>
/// <param name="Shape">Dimensions: a size, or the name of a dynamic size ("batch", "steps").</param>
public sealed record ExportedValue(string Name, string Type, string[] Shape)
{
    /// <summary>"tokens int64 [batch, steps]".</summary>
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Shape)}]";
}
