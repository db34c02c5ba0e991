using System.CommandLine;
using SeqGraph.Data;

namespace SeqGraph.Cli.Commands;

/// <summary>The corpus options of <c>text train</c> and <c>text eval</c>.</summary>
internal static class TextOptions
{
    /// <summary>--encoding of a text corpus.</summary>
    public static Option<string> Encoding() => new("--encoding")
    {
        Description = $"The corpus file's encoding: {string.Join(", ", TextEncodings.Names)} (utf-16 needs a byte-order mark) [default: utf-8]",
    };

    /// <summary>The value of an <see cref="Encoding"/> option (null: UTF-8).</summary>
    public static TextEncoding ParseEncoding(string? name) =>
        name is null ? TextEncoding.Utf8
        : TextEncodings.TryParse(name, out var e) ? e
        : throw new UsageException($"--encoding: unknown encoding '{name}' (choose {string.Join(", ", TextEncodings.Names)})");

    /// <summary>--keep-gutenberg of a text corpus.</summary>
    public static Option<bool> KeepGutenberg() => new("--keep-gutenberg")
    {
        Description = "Keep a Project Gutenberg header and licence (by default the text up to the \"*** START OF\" line and from the \"*** END OF\" line on is left out)",
    };

    /// <summary>Prints a note about the corpus on stderr.</summary>
    public static void PrintNote(string note) => Console.Error.WriteLine(note);
}
