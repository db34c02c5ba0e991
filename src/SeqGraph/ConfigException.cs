namespace SeqGraph;

/// <summary>
/// A setting that cannot be used, with a message that names it the way a user typed it (the
/// command-line option, e.g. <c>--hidden must be positive (got 0)</c>). The command line reports
/// it as one line with exit code 2; the web page shows it next to the field.
/// </summary>
public sealed class ConfigException : ArgumentException
{
    /// <summary>A bad value of <paramref name="option"/>; <paramref name="message"/> is the whole message and should start with the option.</summary>
    public ConfigException(string option, string message) : base(message) => Option = option;

    /// <summary>The option at fault, e.g. <c>--hidden</c>.</summary>
    public string Option { get; }

    /// <summary>Throws unless <paramref name="value"/> is positive.</summary>
    public static void Positive(string option, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ConfigException(option, $"{option} must be positive (got {Show(value)})");
    }

    /// <summary>Throws unless <paramref name="value"/> is 0 or more.</summary>
    public static void NonNegative(string option, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ConfigException(option, $"{option} must be 0 or more (got {Show(value)})");
    }

    /// <summary>Throws unless lo ≤ value &lt; hi (or ≤ hi with <paramref name="inclusive"/>).</summary>
    public static void InRange(string option, double value, double lo, double hi, bool inclusive = false)
    {
        if (!(value >= lo && (inclusive ? value <= hi : value < hi)))
            throw new ConfigException(option, $"{option} must be in [{Show(lo)}, {Show(hi)}{(inclusive ? "]" : ")")} (got {Show(value)})");
    }

    private static string Show(double v) => v.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
}
