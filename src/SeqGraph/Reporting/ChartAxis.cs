using System.Globalization;

namespace SeqGraph.Reporting;

/// <summary>
/// One chart axis: a data range mapped to pixels, with tick positions and labels. Linear axes
/// use "nice" steps (1, 2 or 5 times a power of ten); logarithmic axes put ticks at powers of
/// ten and map log10 of the value.
/// </summary>
internal sealed class ChartAxis
{
    /// <summary>Lower end of the axis, in data units (a positive value for log axes).</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis, in data units.</summary>
    public double Max { get; }

    /// <summary>True for a log10 axis.</summary>
    public bool Log { get; }

    /// <summary>Tick values in data units, ascending, all within [Min, Max].</summary>
    public IReadOnlyList<double> Ticks { get; }

    private readonly double _step; // linear: the tick step; log: decades per tick

    private ChartAxis(double min, double max, bool log, double step, IReadOnlyList<double> ticks)
    {
        (Min, Max, Log, _step, Ticks) = (min, max, log, step, ticks);
    }

    /// <summary>
    /// A linear axis covering [lo, hi] widened by <paramref name="padFraction"/> of the span on
    /// each side; a zero span is widened around the value. No data at all gives [0, 1].
    /// </summary>
    public static ChartAxis Linear(double lo, double hi, double padFraction, int targetTicks = 6)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) (lo, hi) = (0, 1);
        else if (hi - lo <= 0)
        {
            double w = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = (lo - w, hi + w);
        }
        else
        {
            double pad = (hi - lo) * padFraction;
            (lo, hi) = (lo - pad, hi + pad);
        }
        double step = NiceStep((hi - lo) / targetTicks);
        var ticks = new List<double>();
        for (double k = Math.Ceiling(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
            ticks.Add(Math.Abs(k * step) < step * 1e-9 ? 0 : k * step);
        return new ChartAxis(lo, hi, false, step, ticks);
    }

    /// <summary>
    /// A log10 axis from the power of ten at or below <paramref name="lo"/> to the one at or above
    /// <paramref name="hi"/> (both positive), widened slightly where the data touches those ends;
    /// ticks every decade, or every few decades when the
    /// range spans many. No data gives [0.1, 10].
    /// </summary>
    public static ChartAxis Logarithmic(double lo, double hi)
    {
        if (!(lo > 0) || !double.IsFinite(hi) || !(hi >= lo)) (lo, hi) = (0.1, 10);
        int e0 = (int)Math.Floor(Math.Log10(lo) + 1e-12), e1 = (int)Math.Ceiling(Math.Log10(hi) - 1e-12);
        if (e1 <= e0) { e0--; e1++; }
        int decades = e1 - e0, every = Math.Max(1, (int)Math.Ceiling(decades / 8.0));
        var ticks = new List<double>();
        for (int e = e0; e <= e1; e += every) ticks.Add(Math.Pow(10, e));
        // a little room beyond the data when it sits exactly on the outer powers of ten
        double pad = Math.Pow(10, 0.03 * decades);
        double min = Math.Min(Math.Pow(10, e0), lo / pad), max = Math.Max(Math.Pow(10, e1), hi * pad);
        return new ChartAxis(min, max, true, every, ticks);
    }

    /// <summary>The smallest 1, 2 or 5 × 10^k not below <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw)) return 1;
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / p;
        double m = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
        return m * p;
    }

    /// <summary>Maps a data value to a pixel coordinate between <paramref name="p0"/> (at Min) and <paramref name="p1"/> (at Max).</summary>
    public double ToPixel(double v, double p0, double p1)
    {
        double t = Log
            ? (Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (v - Min) / (Max - Min);
        return p0 + t * (p1 - p0);
    }

    /// <summary>A short, culture-invariant label for a tick value.</summary>
    public string Format(double v)
    {
        var inv = CultureInfo.InvariantCulture;
        if (Log)
        {
            int e = (int)Math.Round(Math.Log10(v));
            return e is >= -3 and <= 4 ? Math.Pow(10, e).ToString("0.###", inv) : "1e" + e.ToString(inv);
        }
        if (v == 0) return "0";
        double mag = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (mag >= 1e6 || _step < 1e-4) return v.ToString("0.##e0", inv);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(_step) + 1e-9));
        return v.ToString("F" + decimals.ToString(inv), inv);
    }
}
