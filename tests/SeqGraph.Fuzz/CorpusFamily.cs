using System.Text;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// Bad and odd corpora — random bytes, invalid UTF-8, empty, one character, byte-order marks, one
/// huge line, NULs, control characters, a folder, a FIFO, a missing file — given to <c>text train</c>
/// (a couple of steps) or <c>text eval</c>. Right: a tiny run, or one line naming the corpus.
/// </summary>
internal static class CorpusFamily
{
    /// <summary>The family's name on the command line and in the table.</summary>
    public const string Name = "corpora";

    /// <summary>Makes case <paramref name="index"/> in <paramref name="dir"/>.</summary>
    public static FuzzCase Make(Rng rng, Baseline b, string dir, int index)
    {
        string corpus = Path.Combine(dir, "corpus.txt");
        byte[] text = File.ReadAllBytes(b.Corpus);
        string? fifo = null;
        string mutation;
        string encoding = "utf-8";
        byte[]? bytes = null;
        switch (rng.NextInt(16))
        {
            case 0: bytes = RandomBytes(rng, 1 + rng.NextInt(4000)); mutation = "random bytes"; break;
            case 1: (bytes, mutation) = InsertInvalid(rng, text); break;
            case 2: bytes = []; mutation = "empty"; break;
            case 3: bytes = Encoding.UTF8.GetBytes(rng.NextInt(2) == 0 ? "a" : "\n"); mutation = "one character"; break;
            case 4:
                byte[] utf16 = Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(text));
                (bytes, mutation, encoding) = rng.NextInt(4) switch
                {
                    0 => ((byte[])[0xEF, 0xBB, 0xBF, .. text], "UTF-8 byte-order mark", "utf-8"),
                    1 => ((byte[])[0xFF, 0xFE, .. text], "UTF-16 LE byte-order mark on UTF-8 text", "utf-8"),
                    2 => ((byte[])[0xFF, 0xFE, .. utf16], "UTF-16 LE with its mark", "utf-16"),
                    _ => (utf16, "UTF-16 LE without a mark", "utf-16"),
                };
                break;
            case 5: bytes = Enumerable.Repeat((byte)'x', 50_000 + rng.NextInt(200_000)).ToArray(); mutation = $"one line of {bytes.Length} characters"; break;
            case 6: bytes = [.. text[..(text.Length / 2)], 0, .. text[(text.Length / 2)..]]; mutation = "a NUL in the middle"; break;
            case 7: bytes = [.. text.Select(c => rng.NextInt(10) == 0 ? (byte)rng.NextInt(32) : c)]; mutation = "control characters"; break;
            case 8: Directory.CreateDirectory(corpus); mutation = "a folder"; break;
            case 9: Native.MakeFifo(corpus); fifo = corpus; mutation = "a FIFO"; break;
            case 10: mutation = "missing file"; break;
            case 11: bytes = Enumerable.Repeat((byte)'\n', 1 + rng.NextInt(3000)).ToArray(); mutation = "only line breaks"; break;
            case 12:
                bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000 + rng.NextInt(3000)).Select(_ => char.ConvertFromUtf32(0x4E00 + rng.NextInt(20000)))));
                mutation = "thousands of distinct characters";
                break;
            case 13:
                (bytes, encoding) = (RandomBytes(rng, 1000 + rng.NextInt(3000)), rng.NextInt(2) == 0 ? "latin1" : "windows-1252");
                mutation = $"random bytes as {encoding}";
                break;
            case 14: (bytes, mutation) = Mutate.Bytes(rng, text); break;
            default: bytes = [.. text.SelectMany(c => c == '\n' ? new[] { (byte)'\r', (byte)'\n' } : new[] { c })]; mutation = "CRLF"; break;
        }
        if (bytes is not null) File.WriteAllBytes(corpus, bytes);
        string[] args = rng.NextInt(4) == 0
            ? ["text", "eval", "--checkpoint", b.TextRun, "--corpus", corpus, "--encoding", encoding]
            : ["text", "train", "--corpus", corpus, "--encoding", encoding, "--steps", "2", "--seq", "8", "--batch", "2", "--hidden", "4", "--embed", "2",
                "--eval-every", "0", "--threads", "1", "--out", Path.Combine(dir, "run")];
        return new FuzzCase(Name, index, args, mutation, [corpus, Path.GetFileName(corpus)], InputBytes: bytes?.Length ?? 0, Fifo: fifo,
            Timeout: fifo is null ? null : TimeSpan.FromSeconds(2));
    }

    private static byte[] RandomBytes(Rng rng, int n) => Enumerable.Range(0, n).Select(_ => (byte)rng.NextInt(256)).ToArray();

    private static (byte[], string) InsertInvalid(Rng rng, byte[] text)
    {
        int at = rng.NextInt(text.Length + 1);
        byte[] bad = Mutate.InvalidUtf8[rng.NextInt(Mutate.InvalidUtf8.Length)];
        return ([.. text[..at], .. bad, .. text[at..]], $"invalid UTF-8 ({Convert.ToHexString(bad)}) at byte {at}");
    }
}
