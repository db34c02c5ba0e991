using System.Globalization;
using SeqGraph.Data;

namespace SeqGraph.Experiments.Text;

/// <summary>The one-line message saying what was left out of a corpus (Project Gutenberg's header and licence).</summary>
public static class TextCorpusNote
{
    /// <summary>The message, or null when nothing was dropped.</summary>
    public static string? For(TextCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.HeaderDropped == 0 && corpus.LicenceDropped == 0) return null;
        var parts = new List<string>();
        if (corpus.HeaderDropped > 0) parts.Add(string.Format(CultureInfo.InvariantCulture, "header ({0:N0} characters)", corpus.HeaderDropped));
        if (corpus.LicenceDropped > 0) parts.Add(string.Format(CultureInfo.InvariantCulture, "licence ({0:N0} characters)", corpus.LicenceDropped));
        return $"{Path.GetFileName(corpus.Path)}: left out the Project Gutenberg {string.Join(" and ", parts)}; --keep-gutenberg keeps them";
    }
}
