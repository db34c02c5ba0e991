namespace SeqGraph.Tensors;

/// <summary>
/// Whether values are finite (no NaN, no ±∞), in one vectorised pass: the largest magnitude is
/// NaN when any value is NaN and +∞ when any is infinite, so one reduction answers both.
/// </summary>
public static class Finite
{
    /// <summary>True when every value of <paramref name="values"/> is finite (an empty span is).</summary>
    public static bool All(ReadOnlySpan<float> values) => values.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(values));

    /// <summary>The name of the first tensor (in the enumeration's order) holding a NaN or an infinity, or null when all are finite.</summary>
    public static string? FirstNonFinite(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (name, t) in tensors)
            if (!All(t.Data)) return name;
        return null;
    }

    /// <summary>A non-finite value in words: "NaN", "infinite" or "-infinite"; a finite one as a number.</summary>
    public static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "infinite" : double.IsNegativeInfinity(value) ? "-infinite" : value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
