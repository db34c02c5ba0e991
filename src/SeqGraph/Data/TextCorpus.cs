using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// A character-level corpus: any UTF-8 text file turned into a compact array of symbol indices
/// over a vocabulary of Unicode scalar values, with a held-out tail for validation and seeded
/// random training windows.
/// </summary>
/// <remarks>
/// <para><b>Reading.</b> The file is streamed twice (<see cref="Utf8Scanner"/>): once to find the
/// vocabulary and length, once to fill the symbol array, which takes one byte per character when
/// the vocabulary has at most 256 symbols (else two or four), so a 100 MB corpus needs about
/// 100 MB of memory, never a .NET string. A leading byte-order mark is not text and is dropped.
/// Line endings are normalised: CRLF and a lone CR both become LF, so a book saved on Windows has
/// the same vocabulary and samples as the same book saved on Linux.</para>
/// <para><b>Errors</b> (all <see cref="InvalidDataException"/> naming the file): invalid UTF-8
/// (with the byte offset), an empty file, a binary file (a NUL byte, or more than 5% control
/// characters other than tab, LF, CR and form feed), and — through <see cref="EnsureWindow"/> —
/// a training part shorter than one window plus its target.</para>
/// <para><b>Vocabulary.</b> The sorted set of scalar values of the whole file, validation tail
/// included, so validation never meets an unknown character. When a corpus is encoded with a
/// fixed vocabulary (<see cref="Load(string, IReadOnlyList{int}, double)"/>, as <c>text eval</c>
/// does with a checkpoint's vocabulary), characters outside it are left out of the symbol array
/// and counted in <see cref="UnknownCount"/>; the text around them joins up.</para>
/// </remarks>
public sealed class TextCorpus
{
    /// <summary>Default share of the corpus held out (its tail) for validation.</summary>
    public const double DefaultValidationFraction = 0.05;

    private readonly byte[]? _bytes;
    private readonly ushort[]? _shorts;
    private readonly int[]? _ints;
    private readonly Dictionary<int, int> _index;

    /// <summary>The file the corpus came from.</summary>
    public string Path { get; }

    /// <summary>The vocabulary: Unicode scalar values in increasing order; symbol i is Vocabulary[i].</summary>
    public IReadOnlyList<int> Vocabulary { get; }

    /// <summary>Number of symbols (characters after line-ending normalisation, unknown ones left out).</summary>
    public int Length { get; }

    /// <summary>Symbols before the validation tail: [0, TrainLength).</summary>
    public int TrainLength { get; }

    /// <summary>Symbols in the validation tail: [TrainLength, Length).</summary>
    public int ValidationLength => Length - TrainLength;

    /// <summary>Characters of the file that are not in a fixed vocabulary (0 when the vocabulary is the file's own).</summary>
    public long UnknownCount { get; }

    /// <summary>The distinct unknown characters, in increasing order (at most 64 listed).</summary>
    public IReadOnlyList<int> UnknownExamples { get; }

    private TextCorpus(string path, int[] vocabulary, int length, int trainLength, Array symbols, long unknown, int[] unknownExamples)
    {
        Path = path;
        Vocabulary = vocabulary;
        Length = length;
        TrainLength = trainLength;
        UnknownCount = unknown;
        UnknownExamples = unknownExamples;
        _bytes = symbols as byte[];
        _shorts = symbols as ushort[];
        _ints = symbols as int[];
        _index = new Dictionary<int, int>(vocabulary.Length);
        for (int i = 0; i < vocabulary.Length; i++) _index[vocabulary[i]] = i;
    }

    /// <summary>Reads a corpus whose vocabulary is its own set of characters.</summary>
    /// <param name="path">A UTF-8 text file.</param>
    /// <param name="validationFraction">Share of the characters held out at the end, in [0, 0.5].</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, binary or not valid UTF-8.</exception>
    public static TextCorpus Load(string path, double validationFraction = DefaultValidationFraction) =>
        Load(path, null, validationFraction);

    /// <summary>
    /// Reads a corpus, encoding it with <paramref name="vocabulary"/> (sorted scalar values) when
    /// given: characters outside it are skipped and counted in <see cref="UnknownCount"/>.
    /// </summary>
    public static TextCorpus Load(string path, IReadOnlyList<int>? vocabulary, double validationFraction = DefaultValidationFraction)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!(validationFraction >= 0 && validationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"validation fraction must be in [0, 0.5], got {validationFraction}");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);

        // Pass 1: which characters occur, how many, and is it text at all?
        var seen = new bool[Utf8Scanner.ScalarLimit];
        long count = 0, control = 0;
        Utf8Scanner.Scan(path, scalar =>
        {
            seen[scalar] = true;
            count++;
            if ((scalar < 0x20 && scalar is not ('\t' or '\n' or '\f')) || scalar == 0x7F) control++;
        });
        if (count == 0) throw new InvalidDataException($"{path}: the file is empty (no text after the byte-order mark)");
        if (control * 20 > count)
            throw new InvalidDataException($"{path}: {control} of {count} characters are control characters; this looks like a binary file, not text");

        int[] vocab;
        long unknown;
        var unknownExamples = new List<int>();
        if (vocabulary is null)
        {
            var list = new List<int>();
            for (int s = 0; s < seen.Length; s++) if (seen[s]) list.Add(s);
            vocab = list.ToArray();
        }
        else
        {
            vocab = vocabulary.ToArray();
            for (int i = 1; i < vocab.Length; i++)
                if (vocab[i] <= vocab[i - 1]) throw new ArgumentException("vocabulary must be sorted and distinct", nameof(vocabulary));
            var known = new HashSet<int>(vocab);
            for (int s = 0; s < seen.Length; s++)
                if (seen[s] && !known.Contains(s) && unknownExamples.Count < 64) unknownExamples.Add(s);
        }

        var map = new int[Utf8Scanner.ScalarLimit];
        Array.Fill(map, -1);
        for (int i = 0; i < vocab.Length; i++) map[vocab[i]] = i;
        if (count > Array.MaxLength) throw new InvalidDataException($"{path}: {count} characters is more than this program can index ({Array.MaxLength})");

        // Pass 2: the symbol array, as narrow as the vocabulary allows.
        Array symbols = vocab.Length <= 256 ? new byte[count] : vocab.Length <= 65536 ? new ushort[count] : new int[count];
        int n = 0;
        long skipped = 0;
        var bytes = symbols as byte[];
        var shorts = symbols as ushort[];
        var ints = symbols as int[];
        Utf8Scanner.Scan(path, scalar =>
        {
            int sym = map[scalar];
            if (sym < 0) { skipped++; return; }
            if (bytes is not null) bytes[n] = (byte)sym;
            else if (shorts is not null) shorts[n] = (ushort)sym;
            else ints![n] = sym;
            n++;
        });
        unknown = skipped;
        if (n < count)
        {
            // Unknown characters were left out: shrink to the symbols actually kept.
            symbols = bytes is not null ? bytes[..n] : shorts is not null ? shorts[..n] : ints![..n];
        }
        int val = (int)Math.Round(n * validationFraction);
        return new TextCorpus(path, vocab, n, n - val, symbols, unknown, unknownExamples.ToArray());
    }

    /// <summary>Symbol at position <paramref name="i"/>.</summary>
    public int this[int i] => _bytes is not null ? _bytes[i] : _shorts is not null ? _shorts[i] : _ints![i];

    /// <summary>Copies symbols [start, start + dst.Length) into <paramref name="dst"/>.</summary>
    public void CopySymbols(int start, Span<int> dst)
    {
        if (start < 0 || start + dst.Length > Length) throw new ArgumentOutOfRangeException(nameof(start), $"symbols {start}..{start + dst.Length} outside 0..{Length}");
        for (int i = 0; i < dst.Length; i++) dst[i] = this[start + i];
    }

    /// <summary>Vocabulary size.</summary>
    public int VocabularySize => Vocabulary.Count;

    /// <summary>Symbol index of a scalar value, or −1 when it is not in the vocabulary.</summary>
    public int IndexOf(int scalar) => _index.TryGetValue(scalar, out int i) ? i : -1;

    /// <summary>
    /// Throws a clear <see cref="InvalidDataException"/> when the training part cannot hold one
    /// window of <paramref name="steps"/> characters plus the next-character target of its last step.
    /// </summary>
    public void EnsureWindow(int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), "a window needs at least one step");
        if (TrainLength < steps + 1)
            throw new InvalidDataException($"{Path}: the training part has {TrainLength} characters ({Length} in all, {ValidationLength} held out for validation); a training window of {steps} needs at least {steps + 1}");
    }

    /// <summary>
    /// Fills a batch of <paramref name="batch"/> random windows of the training part, time-first
    /// ([T, B] row-major: element t·B + b): inputs are characters s..s+T−1 of a window starting at
    /// s, targets the characters one further, s+1..s+T. Starts are uniform over every position
    /// where a whole window and its targets fit, drawn in batch order from <paramref name="rng"/>.
    /// </summary>
    public void SampleWindows(Rng rng, int steps, int batch, Span<int> inputs, Span<int> targets)
    {
        EnsureWindow(steps);
        if (inputs.Length != steps * batch || targets.Length != steps * batch)
            throw new ArgumentException($"inputs and targets need {steps * batch} entries for T={steps}, B={batch}");
        int positions = TrainLength - steps; // starts 0..TrainLength−T−1
        for (int b = 0; b < batch; b++)
        {
            int s = rng.NextInt(positions);
            for (int t = 0; t < steps; t++)
            {
                inputs[t * batch + b] = this[s + t];
                targets[t * batch + b] = this[s + t + 1];
            }
        }
    }

    /// <summary>The text of symbols (as a string; for samples and messages, not for the whole corpus).</summary>
    public string Decode(ReadOnlySpan<int> symbols) => Decode(Vocabulary, symbols);

    /// <summary>The text of symbols under a vocabulary.</summary>
    public static string Decode(IReadOnlyList<int> vocabulary, ReadOnlySpan<int> symbols)
    {
        var sb = new System.Text.StringBuilder(symbols.Length);
        foreach (int s in symbols) sb.Append(char.ConvertFromUtf32(vocabulary[s]));
        return sb.ToString();
    }

    /// <summary>
    /// Symbols of <paramref name="text"/> under a vocabulary, with CRLF and CR made LF as in a corpus.
    /// Characters outside the vocabulary are returned in <paramref name="unknown"/> and left out.
    /// </summary>
    public static int[] Encode(IReadOnlyList<int> vocabulary, string text, out List<int> unknown)
    {
        var map = new Dictionary<int, int>(vocabulary.Count);
        for (int i = 0; i < vocabulary.Count; i++) map[vocabulary[i]] = i;
        unknown = new List<int>();
        var result = new List<int>(text.Length);
        string normal = text.Replace("\r\n", "\n").Replace('\r', '\n');
        foreach (var rune in normal.EnumerateRunes())
        {
            if (map.TryGetValue(rune.Value, out int s)) result.Add(s);
            else unknown.Add(rune.Value);
        }
        return result.ToArray();
    }
}
