using System.Text.Json.Serialization;

namespace SeqGraph.Data;

/// <summary>
/// How a corpus file is encoded (<c>--encoding</c>); the JSON and command-line names are those in
/// the attributes. UTF-16 needs a byte-order mark, which says which byte order the file uses.
/// </summary>
public enum TextEncoding
{
    /// <summary>UTF-8, strictly decoded, a leading byte-order mark dropped (the default).</summary>
    [JsonStringEnumMemberName("utf-8")] Utf8,

    /// <summary>ISO-8859-1: every byte is the character of the same number.</summary>
    [JsonStringEnumMemberName("latin1")] Latin1,

    /// <summary>Windows code page 1252 (Latin-1 plus typographic quotes, dashes, € … in 0x80–0x9F).</summary>
    [JsonStringEnumMemberName("windows-1252")] Windows1252,

    /// <summary>UTF-16 with a byte-order mark (FF FE little-endian, FE FF big-endian).</summary>
    [JsonStringEnumMemberName("utf-16")] Utf16,
}
