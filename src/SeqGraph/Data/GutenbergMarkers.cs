using System.Text.RegularExpressions;

namespace SeqGraph.Data;

/// <summary>
/// Finds Project Gutenberg's standard markers while a text streams past, character by character:
/// the line "*** START OF THE PROJECT GUTENBERG EBOOK …" (or the older "THIS PROJECT GUTENBERG")
/// ends the header, and the first "*** END OF THE/THIS PROJECT GUTENBERG EBOOK …" line after it
/// starts the licence — or, when at most two lines (the rest of a long title) lie between them,
/// the "End of the Project Gutenberg EBook of …" line before it, which belongs to the footer. Matching is case-insensitive and allows "E-BOOK" and missing spaces after
/// the asterisks; lines without the markers change nothing.
/// </summary>
public sealed partial class GutenbergMarkers
{
    private const int Prefix = 64; // characters of a line kept for matching
    private readonly char[] _line = new char[Prefix];
    private int _lineLength;
    private long _lineStart;
    private long? _footerStart; // start of the last "End of the Project Gutenberg …" line, while at most 2 lines follow it
    private int _footerLines;

    /// <summary>Position of the first character after the START line (its line break included), or null.</summary>
    public long? BodyStart { get; private set; }

    /// <summary>Position of the first character of the END line, or null.</summary>
    public long? BodyEnd { get; private set; }

    /// <summary>Feeds the character at <paramref name="position"/> (positions must come in order, from 0).</summary>
    public void Feed(int scalar, long position)
    {
        if (scalar == '\n')
        {
            Check(position + 1);
            _lineLength = 0;
            _lineStart = position + 1;
            return;
        }
        if (_lineLength < Prefix) _line[_lineLength++] = scalar < 0x10000 ? (char)scalar : '?';
    }

    /// <summary>Ends the text (a last line without a line break), <paramref name="length"/> characters in all.</summary>
    public void Finish(long length) => Check(length);

    private void Check(long afterLine)
    {
        if (BodyEnd is not null) return;
        var text = new ReadOnlySpan<char>(_line, 0, _lineLength);
        if (text.IsWhiteSpace()) return;
        if (text[0] == '*' && BodyStart is null && StartLine().IsMatch(text)) BodyStart = afterLine;
        else if (text[0] == '*' && EndLine().IsMatch(text)) BodyEnd = _footerStart ?? _lineStart;
        else if ((text[0] is 'E' or 'e') && FooterLine().IsMatch(text)) { _footerStart = _lineStart; _footerLines = 0; }
        else if (_footerStart is not null && ++_footerLines > 2) _footerStart = null;
    }

    [GeneratedRegex(@"^\*{3}\s*START OF TH(E|IS) PROJECT GUTENBERG E-?BOOK", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StartLine();

    [GeneratedRegex(@"^End of (the )?Project Gutenberg", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FooterLine();

    [GeneratedRegex(@"^\*{3}\s*END OF TH(E|IS) PROJECT GUTENBERG E-?BOOK", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndLine();
}
