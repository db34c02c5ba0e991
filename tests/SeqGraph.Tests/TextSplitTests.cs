using System.Text;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>Project Gutenberg boilerplate, the block validation split and the windows drawn around it, and corpus encodings.</summary>
public class TextSplitTests
{
    internal const string Header = "The Project Gutenberg EBook of Tales, by Nobody\n\nThis eBook is for the use of anyone anywhere.\n\n";
    internal const string StartLine = "*** START OF THE PROJECT GUTENBERG EBOOK TALES ***\n";
    internal const string Footer = "End of the Project Gutenberg EBook of Tales, by Nobody\n\n";
    internal const string EndLine = "*** END OF THE PROJECT GUTENBERG EBOOK TALES ***\n";
    internal const string Licence = "\nEND OF THE PROJECT GUTENBERG LICENSE. Donations: info@example.org\n";

    /// <summary>A book between Gutenberg markers; the body uses no '@' (only the licence does).</summary>
    internal static string Book(string body, string start = StartLine, string end = EndLine) => Header + start + body + Footer + end + Licence;

    private static string All(TextCorpus c)
    {
        var s = new int[c.Length];
        c.CopySymbols(0, s);
        return c.Decode(s);
    }

    [Theory]
    [InlineData(StartLine, EndLine)]
    [InlineData("*** START OF THIS PROJECT GUTENBERG EBOOK TALES ***\n", "*** END OF THIS PROJECT GUTENBERG EBOOK TALES ***\n")]
    [InlineData("***START OF THE PROJECT GUTENBERG EBOOK TALES***\r\n", "***END OF THE PROJECT GUTENBERG EBOOK TALES***\r\n")]
    public void GutenbergHeaderAndLicenceAreLeftOut(string start, string end)
    {
        using var dir = new TempDir();
        string body = "\nOnce upon a time there was a king.\n*** a line of stars in the story ***\nThe end.\n";
        var path = dir.File("book.txt");
        File.WriteAllText(path, Book(body, start, end));
        var c = TextCorpus.Load(path, new TextCorpusOptions { ValidationFraction = 0 });
        Assert.Equal(body, All(c));
        Assert.Equal(Header.Length + start.Replace("\r\n", "\n").Length, c.HeaderDropped);
        Assert.Equal(Footer.Length + end.Replace("\r\n", "\n").Length + Licence.Length, c.LicenceDropped);
        Assert.DoesNotContain((int)'@', c.Vocabulary); // the vocabulary is the kept text's

        var kept = TextCorpus.Load(path, new TextCorpusOptions { ValidationFraction = 0, KeepGutenberg = true });
        Assert.Equal(Book(body, start, end).Replace("\r\n", "\n"), All(kept));
        Assert.Equal(0, kept.HeaderDropped + kept.LicenceDropped);
        Assert.Contains((int)'@', kept.Vocabulary);
    }

    [Fact]
    public void TextWithoutMarkersIsKeptWhole()
    {
        using var dir = new TempDir();
        var path = dir.File("plain.txt");
        File.WriteAllText(path, "*** START of something else\nplain text\n*** END\n");
        var c = TextCorpus.Load(path, new TextCorpusOptions { ValidationFraction = 0 });
        Assert.Equal("*** START of something else\nplain text\n*** END\n", All(c));
        Assert.Equal(0, c.HeaderDropped + c.LicenceDropped);
    }

    [Fact]
    public void EveryBundledBookLosesItsGutenbergHeaderAndLicence()
    {
        var books = Directory.GetFiles(GraphTests.SharedData("books"), "*.txt");
        Assert.NotEmpty(books);
        foreach (var book in books)
        {
            var c = TextCorpus.Load(book);
            Assert.True(c.HeaderDropped > 0 && c.LicenceDropped > 0, book);
            var tail = new int[2000];
            c.CopySymbols(c.Length - tail.Length, tail);
            var head = new int[2000];
            c.CopySymbols(0, head);
            Assert.DoesNotContain("PROJECT GUTENBERG", c.Decode(tail).ToUpperInvariant());
            Assert.EndsWith("\n", c.Decode(tail));
            Assert.DoesNotContain("START OF TH", c.Decode(head));
        }
    }

    [Fact]
    public void ValidationIsEveryTwentiethBlockOverTheWholeText()
    {
        using var dir = new TempDir();
        var path = dir.File("t.txt");
        File.WriteAllText(path, new string('a', 4005));
        var c = TextCorpus.Load(path, new TextCorpusOptions { BlockSize = 10 });
        Assert.Equal(10, c.BlockSize);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => (190 + 200 * k, 10)).ToArray(), c.ValidationBlocks.ToArray());
        Assert.Equal(200, c.ValidationLength);
        Assert.Equal(3805, c.TrainLength);
        Assert.Equal(21, c.TrainingRuns.Count);
        Assert.Equal((0, 190), c.TrainingRuns[0]);
        Assert.Equal((4000, 5), c.TrainingRuns[^1]);

        // too short for ten validation blocks of 2,000: blocks of length / 200 characters
        var small = TextCorpus.Load(path);
        Assert.Equal(20, small.BlockSize);
        Assert.Equal(10, small.ValidationBlocks.Count);
        Assert.Equal((380, 20), small.ValidationBlocks[0]);

        var tail = TextCorpus.Load(path, new TextCorpusOptions { Split = ValidationSplit.Tail });
        Assert.Equal(new[] { (3805, 200) }, tail.ValidationBlocks.ToArray());
        Assert.Equal(3805, tail.TrainLength);
    }

    [Fact]
    public void TrainingWindowsNeverTouchAValidationBlockAndCoverEveryOtherStart()
    {
        using var dir = new TempDir();
        // 4,000 distinct characters in increasing order: symbol i is position i
        var path = dir.File("t.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 4000).Select(i => (char)(0x4E00 + i))));
        var c = TextCorpus.Load(path, new TextCorpusOptions { BlockSize = 10 });
        var validation = new HashSet<int>(c.ValidationBlocks.SelectMany(b => Enumerable.Range(b.Start, b.Length)));
        int T = 5, B = 1000;
        var x = new int[T * B];
        var y = new int[T * B];
        var rng = new Rng(7);
        var starts = new HashSet<int>();
        for (int batch = 0; batch < 100; batch++)
        {
            c.SampleWindows(rng, T, B, x, y);
            for (int b = 0; b < B; b++)
            {
                int s = x[b];
                starts.Add(s);
                for (int t = 0; t < T; t++)
                {
                    if (x[t * B + b] != s + t || y[t * B + b] != s + t + 1) Assert.Fail($"window at {s} is not contiguous");
                    if (validation.Contains(s + t) || validation.Contains(s + t + 1)) Assert.Fail($"window at {s} reads validation position {s + t}");
                }
            }
        }
        // every start whose window and targets fit in one training run was drawn
        var expected = c.TrainingRuns.SelectMany(r => Enumerable.Range(r.Start, Math.Max(0, r.Length - T))).ToHashSet();
        Assert.Equal(expected.Order(), starts.Order());
        Assert.Contains(190 - T - 1, starts); // up to the block: its last target is position 189
    }

    [Fact]
    public void BlockValidationScoresEachBlockAsOneStreamFromTheZeroState()
    {
        using var dir = new TempDir();
        string corpusPath = TextCheckpointTests.TinyCorpus(dir);
        var c = TextCorpus.Load(corpusPath, new TextCorpusOptions { BlockSize = 40, ValidationFraction = 0.1 });
        Assert.Equal(10, c.ValidationBlocks.Count);
        Assert.Equal(40, c.BlockSize);
        var model = new CharLstm(new CharLstmConfig(c.VocabularySize, 8, 16, 2, 0), 3);
        var all = TextEvaluator.Evaluate(model, c, c.ValidationBlocks);
        double loss = 0;
        long hits = 0, n = 0;
        foreach (var (start, length) in c.ValidationBlocks)
        {
            var one = TextEvaluator.Evaluate(model, c, start, length); // under 129 characters: one stream
            loss += one.Loss * one.Characters;
            hits += (long)Math.Round(one.Accuracy * one.Characters);
            n += one.Characters;
        }
        Assert.Equal(10 * 39, all.Characters);
        Assert.Equal(n, all.Characters);
        Assert.Equal(loss / n, all.Loss, 5);
        Assert.Equal((double)hits / n, all.Accuracy, 9);
    }

    [Fact]
    public void ASingleValidationBlockIsScoredWhereItIsNotAtTheTail()
    {
        using var dir = new TempDir();
        string path = dir.File("short.txt");
        File.WriteAllText(path, "the cat sat on the mat, the dog sat on the log, all was well."); // 61 characters, one validation block
        var c = TextCorpus.Load(path, new TextCorpusOptions());
        Assert.Single(c.ValidationBlocks);
        Assert.True(c.ValidationBlocks[0].Start + c.ValidationBlocks[0].Length < c.Length, "the block is not the tail");
        var trainer = new TextTrainer(new TextTrainConfig(Corpus: path, Seq: 4, Batch: 2, Hidden: 8, Embed: 4, Steps: 1), c);
        var expected = TextEvaluator.Evaluate(trainer.Model, c, c.ValidationBlocks);
        var got = trainer.Validate();
        Assert.Equal(expected.Characters, got.Characters);
        Assert.Equal(expected.Loss, got.Loss);
    }

    [Fact]
    public void EncodingsDecodeToTheSameText()
    {
        using var dir = new TempDir();
        string Read(byte[] bytes, TextEncoding e)
        {
            var p = dir.File("e.txt");
            File.WriteAllBytes(p, bytes);
            return All(TextCorpus.Load(p, new TextCorpusOptions { Encoding = e, ValidationFraction = 0 }));
        }
        Assert.Equal("café\n", Read(new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x0D, 0x0A }, TextEncoding.Latin1));
        Assert.Equal("“€” é", Read(new byte[] { 0x93, 0x80, 0x94, 0x20, 0xE9 }, TextEncoding.Windows1252));
        Assert.Equal("\u0093\u0080\u0094 é", Read(new byte[] { 0x93, 0x80, 0x94, 0x20, 0xE9 }, TextEncoding.Latin1));
        string text = "aé😀\r\nz";
        var le = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        var be = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray();
        Assert.Equal("aé😀\nz", Read(le, TextEncoding.Utf16));
        Assert.Equal("aé😀\nz", Read(be, TextEncoding.Utf16));
        // a long UTF-16 text across read chunks, a surrogate pair on every boundary possible
        string longText = string.Concat(Enumerable.Repeat("x😀", 50_000));
        Assert.Equal(longText, Read(new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(longText)).ToArray(), TextEncoding.Utf16));

        var p = dir.File("e.txt");
        File.WriteAllBytes(p, Encoding.Unicode.GetBytes("no mark"));
        Assert.Contains("byte-order mark", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(p, new TextCorpusOptions { Encoding = TextEncoding.Utf16 })).Message);
        File.WriteAllBytes(p, le);
        Assert.Contains("--encoding utf-16", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(p)).Message);
        File.WriteAllBytes(p, new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x0A });
        Assert.Contains("--encoding (utf-8, latin1, windows-1252, utf-16)", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(p)).Message);
        File.WriteAllBytes(p, new byte[] { 0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8 }); // a lone high surrogate at the end
        Assert.Contains("invalid utf-16", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(p, new TextCorpusOptions { Encoding = TextEncoding.Utf16 })).Message);
    }

    [Fact]
    public void EncodingNamesParseWithTheirAliases()
    {
        foreach (var (name, e) in new[] { ("utf-8", TextEncoding.Utf8), ("UTF8", TextEncoding.Utf8), ("latin1", TextEncoding.Latin1), ("iso-8859-1", TextEncoding.Latin1),
                     ("windows-1252", TextEncoding.Windows1252), ("cp1252", TextEncoding.Windows1252), ("utf-16", TextEncoding.Utf16) })
        {
            Assert.True(TextEncodings.TryParse(name, out var got), name);
            Assert.Equal(e, got);
        }
        Assert.False(TextEncodings.TryParse("ebcdic", out _));
        Assert.Equal("\"windows-1252\"", SeqGraph.IO.RunJson.ToNode(new TextTrainConfig { Encoding = TextEncoding.Windows1252 })["encoding"]!.ToJsonString());
    }
}
