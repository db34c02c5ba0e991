using SeqGraph.Random;

namespace SeqGraph.Data;

/// <summary>
/// A character-level corpus: a text file turned into a compact array of symbol indices over a
/// vocabulary of Unicode scalar values, with held-out validation blocks and seeded random
/// training windows that never overlap them.
/// </summary>
/// <remarks>
/// <para><b>Reading.</b> The file is streamed (<see cref="TextScanner"/>, in the encoding of
/// <see cref="TextCorpusOptions.Encoding"/>): once to find the vocabulary, the length and the
/// Project Gutenberg markers, once more when markers were found (the vocabulary of the text
/// between them), and once to fill the symbol array, which takes one byte per character when the
/// vocabulary has at most 256 symbols (else two or four), so a 100 MB corpus needs about 100 MB of
/// memory, never a .NET string. A leading byte-order mark is not text and is dropped. Line endings
/// are normalised: CRLF and a lone CR both become LF, so a book saved on Windows has the same
/// vocabulary and samples as the same book saved on Linux.</para>
/// <para><b>Project Gutenberg.</b> Unless <see cref="TextCorpusOptions.KeepGutenberg"/>, the
/// header up to and including the "*** START OF THE PROJECT GUTENBERG EBOOK …" line and the licence
/// from the "*** END OF …" line on are dropped (<see cref="GutenbergMarkers"/>); the counts are in
/// <see cref="HeaderDropped"/> and <see cref="LicenceDropped"/>.</para>
/// <para><b>Validation.</b> With <see cref="ValidationSplit.Blocks"/> the text is cut into blocks of
/// <see cref="BlockSize"/> characters and every Nth whole block (N = 1 / validation fraction;
/// blocks N−1, 2N−1, …) is validation; with <see cref="ValidationSplit.Tail"/> the last share of
/// the text is. Training windows are drawn only inside the training runs between validation
/// blocks (<see cref="SampleWindows"/>).</para>
/// <para><b>Errors</b> (all <see cref="InvalidDataException"/> naming the file): invalid text in
/// the encoding (with the byte offset), an empty file, a binary file (a NUL, or more than 5%
/// control characters other than tab, LF, CR and form feed), and — through
/// <see cref="EnsureWindow"/> — training runs shorter than one window plus its target.</para>
/// <para><b>Vocabulary.</b> The sorted set of scalar values of the kept text, validation blocks
/// included, so validation never meets an unknown character. When a corpus is encoded with a
/// fixed vocabulary (as <c>text eval</c> does with a checkpoint's vocabulary), characters outside
/// it are left out of the symbol array and counted in <see cref="UnknownCount"/>; the text around
/// them joins up.</para>
/// </remarks>
public sealed class TextCorpus
{
    /// <summary>Default share of the corpus held out for validation.</summary>
    public const double DefaultValidationFraction = 0.05;

    private readonly byte[]? _bytes;
    private readonly ushort[]? _shorts;
    private readonly int[]? _ints;
    private readonly Dictionary<int, int> _index;
    private readonly (int Start, int Length)[] _validation;
    private readonly (int Start, int Length)[] _runs;
    // window starts per training run for one window length, cached; a reference written in one
    // step, so trainers sharing a corpus across threads see either the old or the new table whole
    private sealed record WindowStarts(int Steps, long[] Cumulative);
    private volatile WindowStarts? _positions;

    /// <summary>The file the corpus came from.</summary>
    public string Path { get; }

    /// <summary>How it was read and split.</summary>
    public TextCorpusOptions Options { get; }

    /// <summary>The vocabulary: Unicode scalar values in increasing order; symbol i is Vocabulary[i].</summary>
    public IReadOnlyList<int> Vocabulary { get; }

    /// <summary>Number of symbols (characters after line-ending normalisation, unknown ones and Gutenberg boilerplate left out).</summary>
    public int Length { get; }

    /// <summary>Symbols outside the validation blocks.</summary>
    public int TrainLength { get; }

    /// <summary>Symbols in the validation blocks.</summary>
    public int ValidationLength => Length - TrainLength;

    /// <summary>Characters per block of the block split (the validation length with the tail split).</summary>
    public int BlockSize { get; }

    /// <summary>The validation blocks (start, length), in order; all of one length with the block split.</summary>
    public IReadOnlyList<(int Start, int Length)> ValidationBlocks => _validation;

    /// <summary>The stretches of training text between validation blocks (start, length), in order.</summary>
    public IReadOnlyList<(int Start, int Length)> TrainingRuns => _runs;

    /// <summary>Characters of a Project Gutenberg header dropped (0 when kept or absent).</summary>
    public long HeaderDropped { get; }

    /// <summary>Characters of a Project Gutenberg licence dropped (0 when kept or absent).</summary>
    public long LicenceDropped { get; }

    /// <summary>Characters of the file that are not in a fixed vocabulary (0 when the vocabulary is the file's own).</summary>
    public long UnknownCount { get; }

    /// <summary>The distinct unknown characters, in increasing order (at most 64 listed).</summary>
    public IReadOnlyList<int> UnknownExamples { get; }

    private TextCorpus(string path, TextCorpusOptions options, int[] vocabulary, int length, Array symbols, long unknown, int[] unknownExamples,
        long header, long licence)
    {
        Path = path;
        Options = options;
        Vocabulary = vocabulary;
        Length = length;
        UnknownCount = unknown;
        UnknownExamples = unknownExamples;
        HeaderDropped = header;
        LicenceDropped = licence;
        _bytes = symbols as byte[];
        _shorts = symbols as ushort[];
        _ints = symbols as int[];
        _index = new Dictionary<int, int>(vocabulary.Length);
        for (int i = 0; i < vocabulary.Length; i++) _index[vocabulary[i]] = i;
        (_validation, _runs, BlockSize) = MakeSplit(length, options);
        TrainLength = length - _validation.Sum(v => v.Length);
    }

    private static ((int, int)[] Validation, (int, int)[] Runs, int Block) MakeSplit(int n, TextCorpusOptions o)
    {
        var val = new List<(int, int)>();
        int block;
        if (o.Split == ValidationSplit.Tail)
        {
            int v = (int)Math.Round(n * o.ValidationFraction);
            if (v > 0) val.Add((n - v, v));
            block = v;
        }
        else
        {
            int every = o.ValidationFraction > 0 ? (int)Math.Round(1 / o.ValidationFraction) : 0;
            block = o.BlockSize;
            if (every > 0 && (long)n < 10L * every * block) block = Math.Max(2, n / (10 * every));
            if (every > 0)
                for (long k = every - 1; (k + 1) * block <= n; k += every) val.Add(((int)(k * block), block));
        }
        var runs = new List<(int, int)>();
        int at = 0;
        foreach (var (s, l) in val)
        {
            if (s > at) runs.Add((at, s - at));
            at = s + l;
        }
        if (n > at) runs.Add((at, n - at));
        return (val.ToArray(), runs.ToArray(), block);
    }

    /// <summary>Reads a UTF-8 corpus whose vocabulary is its own set of characters, split by blocks (Gutenberg boilerplate dropped).</summary>
    /// <param name="path">A UTF-8 text file.</param>
    /// <param name="validationFraction">Share of the characters held out, in [0, 0.5].</param>
    public static TextCorpus Load(string path, double validationFraction) =>
        Load(path, new TextCorpusOptions { ValidationFraction = validationFraction });

    /// <summary>
    /// Reads a UTF-8 corpus, encoding it with <paramref name="vocabulary"/> (sorted scalar values) when
    /// given: characters outside it are skipped and counted in <see cref="UnknownCount"/>.
    /// </summary>
    public static TextCorpus Load(string path, IReadOnlyList<int>? vocabulary, double validationFraction) =>
        Load(path, new TextCorpusOptions { ValidationFraction = validationFraction }, vocabulary);

    /// <summary>
    /// Reads a corpus as <paramref name="options"/> say (default: UTF-8, Gutenberg boilerplate
    /// dropped, every 20th block of 2,000 characters for validation), encoding it with
    /// <paramref name="vocabulary"/> when given.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is a folder or not a regular file; the file is empty, binary or not valid in its encoding.</exception>
    public static TextCorpus Load(string path, TextCorpusOptions? options = null, IReadOnlyList<int>? vocabulary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new TextCorpusOptions();
        double validationFraction = options.ValidationFraction;
        if (!(validationFraction >= 0 && validationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(options), $"validation fraction must be in [0, 0.5], got {validationFraction}");
        if (options.BlockSize < 2) throw new ArgumentOutOfRangeException(nameof(options), $"validation blocks need at least 2 characters, got {options.BlockSize}");
        InputFile.Check(path);
        var encoding = options.Encoding;

        // Pass 1: which characters occur, how many, is it text at all, and where are the Gutenberg markers?
        var seen = new bool[Utf8Scanner.ScalarLimit];
        long count = 0, control = 0;
        var markers = options.KeepGutenberg ? null : new GutenbergMarkers();
        TextScanner.Scan(path, encoding, scalar =>
        {
            markers?.Feed(scalar, count);
            seen[scalar] = true;
            count++;
            if ((scalar < 0x20 && scalar is not ('\t' or '\n' or '\f')) || scalar == 0x7F) control++;
        });
        markers?.Finish(count);
        long total = count, lo = markers?.BodyStart ?? 0, hi = markers?.BodyEnd ?? total;
        if (lo > hi) lo = hi;
        if (lo > 0 || hi < total)
        {
            // Pass 1b: the same figures for the text between the markers only.
            Array.Clear(seen);
            long pos = 0;
            count = control = 0;
            TextScanner.Scan(path, encoding, scalar =>
            {
                long p = pos++;
                if (p < lo || p >= hi) return;
                seen[scalar] = true;
                count++;
                if ((scalar < 0x20 && scalar is not ('\t' or '\n' or '\f')) || scalar == 0x7F) control++;
            });
            if (count == 0) throw new InvalidDataException($"{path}: there is no text between the Project Gutenberg START and END lines (keep them with --keep-gutenberg)");
        }
        if (count == 0) throw new InvalidDataException($"{path}: the file is empty (no text after the byte-order mark)");
        if (control * 20 > count)
            throw new InvalidDataException($"{path}: {control} of {count} characters are control characters; this looks like a binary file, not text");

        int[] vocab;
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
        long skipped = 0, position = 0;
        var bytes = symbols as byte[];
        var shorts = symbols as ushort[];
        var ints = symbols as int[];
        TextScanner.Scan(path, encoding, scalar =>
        {
            long p = position++;
            if (p < lo || p >= hi) return;
            int sym = map[scalar];
            if (sym < 0) { skipped++; return; }
            if (bytes is not null) bytes[n] = (byte)sym;
            else if (shorts is not null) shorts[n] = (ushort)sym;
            else ints![n] = sym;
            n++;
        });
        if (n < count)
        {
            // Unknown characters were left out: shrink to the symbols actually kept.
            symbols = bytes is not null ? bytes[..n] : shorts is not null ? shorts[..n] : ints![..n];
        }
        return new TextCorpus(path, options, vocab, n, symbols, skipped, unknownExamples.ToArray(), lo, total - hi);
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
    /// Throws a clear <see cref="InvalidDataException"/> when no training run (the text between
    /// validation blocks) can hold one window of <paramref name="steps"/> characters plus the
    /// next-character target of its last step.
    /// </summary>
    public void EnsureWindow(int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), "a window needs at least one step");
        int longest = _runs.Length == 0 ? 0 : _runs.Max(r => r.Length);
        if (longest < steps + 1)
            throw new InvalidDataException(_validation.Length <= 1
                ? $"{Path}: the training part has {TrainLength} characters ({Length} in all, {ValidationLength} held out for validation); a training window of {steps} needs at least {steps + 1}"
                : $"{Path}: the longest stretch of training text between validation blocks has {longest} characters ({Length} in all, {_validation.Length} validation blocks of {BlockSize}); a training window of {steps} needs at least {steps + 1}");
    }

    /// <summary>
    /// Fills a batch of <paramref name="batch"/> random windows of the training text, time-first
    /// ([T, B] row-major: element t·B + b): inputs are characters s..s+T−1 of a window starting at
    /// s, targets the characters one further, s+1..s+T. Starts are uniform over every position
    /// where a whole window and its targets lie inside one training run (never touching a
    /// validation block), one <see cref="Rng.NextInt(int)"/> per window, drawn in batch order.
    /// </summary>
    public void SampleWindows(Rng rng, int steps, int batch, Span<int> inputs, Span<int> targets)
    {
        EnsureWindow(steps);
        if (inputs.Length != steps * batch || targets.Length != steps * batch)
            throw new ArgumentException($"inputs and targets need {steps * batch} entries for T={steps}, B={batch}");
        var cached = _positions;
        if (cached is null || cached.Steps != steps)
        {
            // starts per run: 0..length−T−1, so that the target of the last step is in the run
            var cumulative = new long[_runs.Length];
            long sum = 0;
            for (int i = 0; i < _runs.Length; i++) cumulative[i] = sum += Math.Max(0, _runs[i].Length - steps);
            _positions = cached = new WindowStarts(steps, cumulative);
        }
        long positions = cached.Cumulative[^1];
        if (positions > int.MaxValue) throw new InvalidDataException($"{Path}: too many window positions ({positions})");
        for (int b = 0; b < batch; b++)
        {
            int u = rng.NextInt((int)positions);
            int run = 0, hiRun = cached.Cumulative.Length - 1; // the first run whose cumulative count exceeds u
            while (run < hiRun)
            {
                int mid = (run + hiRun) >> 1;
                if (cached.Cumulative[mid] > u) hiRun = mid; else run = mid + 1;
            }
            int s = _runs[run].Start + (int)(u - (run == 0 ? 0 : cached.Cumulative[run - 1]));
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
