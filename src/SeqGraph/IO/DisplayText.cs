using System.Globalization;
using System.Text;

namespace SeqGraph.IO;

/// <summary>
/// A name read from a file (a tensor name, a key, a dtype) as an error message shows it: in single
/// quotes, with control characters, line and paragraph separators, lone surrogates and backslashes
/// written as JSON string escapes (<c>\n</c>, <c>\u0007</c>, <c>\\</c>), so a message stays one line
/// whatever the file holds. Names longer than 200 characters are cut, with "…".
/// </summary>
internal static class DisplayText
{
    private const int MaxLength = 200;

    /// <summary><paramref name="name"/> quoted and escaped.</summary>
    internal static string Quote(string name) => "'" + Escape(name) + "'";

    /// <summary>A message from a lower layer, put after a file's path: its control characters escaped, so it stays one line.</summary>
    internal static string OneLine(string message) => message.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') ? Escape(message, backslash: false) : message;

    private static string Escape(string name, bool backslash = true)
    {
        var sb = new StringBuilder(name.Length + 2);
        int shown = 0;
        for (int i = 0; i < name.Length; i++, shown++)
        {
            if (backslash && shown == MaxLength) { sb.Append('…'); break; }
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                sb.Append(c).Append(name[++i]);
                continue;
            }
            sb.Append(c switch
            {
                '\\' when backslash => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
