namespace SeqGraph.Experiments.Sweeps;

/// <summary>One axis of a sweep's grid: an option of the swept command (its name without the leading
/// dashes, e.g. <c>length</c> for <c>--length</c>) and the values it takes, in order.</summary>
/// <param name="Name">The option's name without "--".</param>
/// <param name="Values">The values, as they would be typed on the command line.</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values)
{
    /// <summary>The option as the command line spells it (<c>--length</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Option => "--" + Name;

    /// <summary>Equal when the name and every value are equal, in order (a record compares lists by reference).</summary>
    public bool Equals(SweepAxis? other) => other is not null && Name == other.Name && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count);
}
