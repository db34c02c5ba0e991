using System.Globalization;
using System.Text.RegularExpressions;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// A sweep's grid: axes written <c>name=values</c>, separated by white space on the command line
/// (<c>--grid "model=rnn,lstm length=5:40:5 seed=0,1,2"</c>) or one per line in a grid file (<c>#</c>
/// starts a comment). Values are comma-separated; an item of integers <c>a:b:s</c> is the stepped
/// range from a to b (b included), <c>a..b</c> every integer from a to b; any other item is taken as
/// it is (<c>1e-3</c>, <c>embed:8</c>, <c>xavier</c>). The trials are every combination, the first
/// axis changing slowest (as nested loops, or Python's <c>itertools.product</c>).
/// </summary>
public static partial class SweepGrid
{
    /// <summary>The most trials a sweep may have.</summary>
    public const int MaxTrials = 100_000;

    /// <summary>Parses axes from <paramref name="text"/> (one or more <c>name=values</c> separated by white space).</summary>
    /// <param name="text">The grid text.</param>
    /// <param name="option">Names the source in error messages (<c>--grid</c>, or a file and line).</param>
    public static List<SweepAxis> Parse(string text, string option = "--grid")
    {
        ArgumentNullException.ThrowIfNull(text);
        var axes = new List<SweepAxis>();
        foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) axes.Add(Axis(word, option));
        return axes;
    }

    /// <summary>Parses a grid file: one axis per line (<c>name=values</c>, or <c>name: values</c>), blank lines and <c>#</c> comments ignored.</summary>
    public static List<SweepAxis> ParseFile(string path, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var axes = new List<SweepAxis>();
        int n = 0;
        foreach (string raw in lines)
        {
            n++;
            string line = raw;
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal), equals = line.IndexOf('=', StringComparison.Ordinal);
            // "name: values" (YAML-like) as well as "name=values"; a colon inside the values ("5:40:5") is a range
            if (equals < 0 && colon > 0) line = line[..colon].TrimEnd() + "=" + line[(colon + 1)..].TrimStart();
            else if (equals > 0) line = line[..equals].TrimEnd() + "=" + line[(equals + 1)..].TrimStart();
            axes.Add(Axis(Regex.Replace(line, @",\s+", ","), $"--grid-file: {path} line {n}"));
        }
        return axes;
    }

    /// <summary>Checks a whole grid: at least one axis, no axis twice, at most <see cref="MaxTrials"/> trials.</summary>
    public static void Check(IReadOnlyList<SweepAxis> axes, string option = "--grid")
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0) throw new ConfigException(option, $"{option}: no axis; give name=values, e.g. --grid \"length=5,10 seed=0,1\"");
        var twice = axes.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ConfigException(option, $"{option}: '{twice.Key}' is given twice");
        long count = 1;
        foreach (var a in axes)
            if ((count *= a.Values.Count) > MaxTrials) throw new ConfigException(option, $"{option}: more than {MaxTrials:N0} trials");
    }

    /// <summary>The number of trials: the product of the axes' lengths.</summary>
    public static int Count(IReadOnlyList<SweepAxis> axes) => axes.Aggregate(1, (n, a) => n * a.Values.Count);

    /// <summary>Every combination of values, one per trial, in trial order (the first axis slowest).</summary>
    public static IEnumerable<string[]> Expand(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        int total = Count(axes);
        for (int t = 0; t < total; t++)
        {
            var values = new string[axes.Count];
            int rest = t;
            for (int a = axes.Count - 1; a >= 0; a--)
            {
                values[a] = axes[a].Values[rest % axes[a].Values.Count];
                rest /= axes[a].Values.Count;
            }
            yield return values;
        }
    }

    /// <summary>The grid as one line, as <c>--grid</c> takes it (lists written out).</summary>
    public static string Describe(IReadOnlyList<SweepAxis> axes) => string.Join(" ", axes.Select(a => $"{a.Name}={string.Join(",", a.Values)}"));

    private static SweepAxis Axis(string word, string option)
    {
        int eq = word.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new ConfigException(option, $"{option}: '{word}' is not name=values (e.g. length=5:40:5 or model=rnn,lstm)");
        string name = word[..eq];
        if (name.StartsWith("--", StringComparison.Ordinal)) name = name[2..];
        if (!OptionName().IsMatch(name)) throw new ConfigException(option, $"{option}: '{word[..eq]}' is not an option name");
        var values = new List<string>();
        foreach (string item in word[(eq + 1)..].Split(','))
        {
            if (item.Length == 0) throw new ConfigException(option, $"{option}: {name} has an empty value in '{word}'");
            ExpandItem(item, name, option, values);
            if (values.Count > MaxTrials) throw new ConfigException(option, $"{option}: {name} has more than {MaxTrials:N0} values");
        }
        var dup = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ConfigException(option, $"{option}: {name} takes the value {dup.Key} twice");
        return new SweepAxis(name, values);
    }

    private static void ExpandItem(string item, string name, string option, List<string> values)
    {
        var stepped = item.Split(':');
        if (stepped.Length == 3 && stepped.All(IsInteger))
        {
            long a = long.Parse(stepped[0], CultureInfo.InvariantCulture), b = long.Parse(stepped[1], CultureInfo.InvariantCulture), s = long.Parse(stepped[2], CultureInfo.InvariantCulture);
            if (s <= 0 || b < a) throw new ConfigException(option, $"{option}: {name}: '{item}' is not start:stop:step with step > 0 and stop ≥ start");
            if ((b - a) / s + 1 + values.Count > MaxTrials) throw new ConfigException(option, $"{option}: {name} has more than {MaxTrials:N0} values");
            for (long v = a; v <= b; v += s) values.Add(v.ToString(CultureInfo.InvariantCulture));
            return;
        }
        int dots = item.IndexOf("..", StringComparison.Ordinal);
        if (dots > 0 && IsInteger(item[..dots]) && IsInteger(item[(dots + 2)..]))
        {
            long a = long.Parse(item[..dots], CultureInfo.InvariantCulture), b = long.Parse(item[(dots + 2)..], CultureInfo.InvariantCulture);
            if (b < a) throw new ConfigException(option, $"{option}: {name}: '{item}' is not a range a..b with b ≥ a");
            if (b - a + 1 + values.Count > MaxTrials) throw new ConfigException(option, $"{option}: {name} has more than {MaxTrials:N0} values");
            for (long v = a; v <= b; v++) values.Add(v.ToString(CultureInfo.InvariantCulture));
            return;
        }
        values.Add(item);
    }

    // up to 15 digits: the ranges' arithmetic stays exact in a long
    private static bool IsInteger(string s) => IntegerText().IsMatch(s);

    [GeneratedRegex(@"^-?[0-9]{1,15}$")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex OptionName();
}
