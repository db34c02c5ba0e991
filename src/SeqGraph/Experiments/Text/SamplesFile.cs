using System.Globalization;
using System.Text.RegularExpressions;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// samples.md of a text run: <c># Samples</c>, then one section per sampling, headed
/// <c>## Step N, greedy</c> (or <c>, temperature T</c>) in step order, its samples in fenced blocks.
/// </summary>
internal static partial class SamplesFile
{
    /// <summary>
    /// <paramref name="markdown"/> without the sections of steps after <paramref name="step"/>: what a
    /// run resumed from a checkpoint at <paramref name="step"/> keeps of the file, since the earlier
    /// process may have sampled steps after its last checkpoint before it was killed — the resumed
    /// run samples them again, so the file equals an uninterrupted run's. Headings inside a fenced
    /// block (generated text) are not headings.
    /// </summary>
    public static string UpTo(string markdown, int step)
    {
        bool fenced = false;
        int at = 0;
        foreach (var line in markdown.Split('\n'))
        {
            if (line == (fenced ? "```" : "```text")) fenced = !fenced;
            else if (!fenced && Heading().Match(line) is { Success: true } m
                && (!int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s > step))
                return markdown[..Math.Max(0, at - 1)].TrimEnd('\n') + "\n";   // without the blank line before the heading
            at += line.Length + 1;
        }
        return markdown;
    }

    [GeneratedRegex(@"^## Step (\d+),")]
    private static partial Regex Heading();
}
