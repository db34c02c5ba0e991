namespace SeqGraph.Experiments;

/// <summary>
/// The one convention for spread over seeds or runs, used by every summary and every ± band:
/// the sample standard deviation (denominator n − 1, as numpy's <c>std(ddof=1)</c>, pandas and
/// torch.std). A single value has standard deviation 0; no values give NaN for both figures.
/// </summary>
public static class Statistics
{
    /// <summary>Mean and sample standard deviation of <paramref name="values"/>.</summary>
    public static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values as double[] ?? values.ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        double mean = v.Average();
        if (v.Length == 1) return (mean, 0);
        double ss = 0;
        foreach (double x in v) ss += (x - mean) * (x - mean);
        return (mean, Math.Sqrt(ss / (v.Length - 1)));
    }
}
