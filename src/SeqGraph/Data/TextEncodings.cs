namespace SeqGraph.Data;

/// <summary>The names of <see cref="TextEncoding"/> values as a user types them.</summary>
public static class TextEncodings
{
    /// <summary>The canonical names, in the order of the enum.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "utf-8", "latin1", "windows-1252", "utf-16" };

    /// <summary>The canonical name of an encoding (as in config.json).</summary>
    public static string Name(TextEncoding encoding) => Names[(int)encoding];

    /// <summary>
    /// Parses a name, case-insensitively, with the usual aliases (utf8, iso-8859-1, latin-1, cp1252,
    /// utf16); false for anything else.
    /// </summary>
    public static bool TryParse(string? text, out TextEncoding encoding)
    {
        encoding = TextEncoding.Utf8;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "utf-8" or "utf8": encoding = TextEncoding.Utf8; return true;
            case "latin1" or "latin-1" or "iso-8859-1" or "iso8859-1": encoding = TextEncoding.Latin1; return true;
            case "windows-1252" or "cp1252" or "windows1252": encoding = TextEncoding.Windows1252; return true;
            case "utf-16" or "utf16": encoding = TextEncoding.Utf16; return true;
            default: return false;
        }
    }
}
