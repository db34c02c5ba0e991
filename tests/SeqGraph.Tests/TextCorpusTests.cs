using System.Text;
using SeqGraph.Data;
using SeqGraph.Random;

namespace SeqGraph.Tests;

public class TextCorpusTests
{
    private static TextCorpus FromBytes(TempDir dir, byte[] bytes, double val = 0, ValidationSplit split = ValidationSplit.Blocks)
    {
        var path = dir.File("c.txt");
        File.WriteAllBytes(path, bytes);
        return TextCorpus.Load(path, new TextCorpusOptions { ValidationFraction = val, Split = split });
    }

    private static TextCorpus FromText(TempDir dir, string text, double val = 0, bool bom = false, ValidationSplit split = ValidationSplit.Blocks) =>
        FromBytes(dir, (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray(), val, split);

    private static string All(TextCorpus c)
    {
        var s = new int[c.Length];
        c.CopySymbols(0, s);
        return c.Decode(s);
    }

    [Fact]
    public void ByteOrderMarkIsNotText()
    {
        using var dir = new TempDir();
        var c = FromText(dir, "abba\n", bom: true);
        Assert.Equal("abba\n", All(c));
        Assert.Equal(new[] { (int)'\n', 'a', 'b' }, c.Vocabulary);
    }

    [Fact]
    public void CrLfAndLoneCrBecomeLf()
    {
        using var dir = new TempDir();
        var c = FromText(dir, "a\r\nb\rc\n\r\nd");
        Assert.Equal("a\nb\nc\n\nd", All(c));
        Assert.DoesNotContain((int)'\r', c.Vocabulary);
    }

    [Fact]
    public void VocabularyIsSortedByScalarValueIncludingNonBmp()
    {
        using var dir = new TempDir();
        var c = FromText(dir, "😀zä€a😀𝄞");
        Assert.Equal(new[] { 'a', 'z', 0xE4, 0x20AC, 0x1D11E, 0x1F600 }, c.Vocabulary);
        Assert.Equal(7, c.Length);
        Assert.Equal("😀zä€a😀𝄞", All(c));
        Assert.Equal(5, c[0]); // 😀 is the largest scalar value
    }

    [Fact]
    public void LargeVocabulariesUseWiderSymbols()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.Append((char)(0x4E00 + i));
        var c = FromText(dir, sb.ToString());
        Assert.Equal(400, c.VocabularySize);
        Assert.Equal(399, c[399]);
        Assert.Equal(sb.ToString(), All(c));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3, 0x28, 0x62 }, 1)]         // bad continuation byte
    [InlineData(new byte[] { 0x61, 0x62, 0xC0, 0xAF }, 2)]         // overlong '/'
    [InlineData(new byte[] { 0x61, 0xED, 0xA0, 0x80 }, 1)]         // UTF-16 surrogate
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0xE2, 0x82 }, 3)]   // truncated at the end
    public void InvalidUtf8NamesFileAndOffset(byte[] bytes, int offset)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidDataException>(() => FromBytes(dir, bytes));
        Assert.Contains("c.txt", e.Message);
        Assert.Contains($"invalid UTF-8 at byte offset {offset}", e.Message);
    }

    [Fact]
    public void InvalidUtf8FarIntoTheFileReportsItsOffset()
    {
        using var dir = new TempDir();
        var bytes = Enumerable.Repeat((byte)'x', 200_001).Append((byte)0xFF).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => FromBytes(dir, bytes));
        Assert.Contains("byte offset 200001", e.Message);
    }

    [Fact]
    public void MultiByteCharactersAcrossReadChunksDecode()
    {
        using var dir = new TempDir();
        var text = string.Concat(Enumerable.Repeat("aé€😀\r\n", 30_000));
        var c = FromText(dir, text, bom: true);
        Assert.Equal(text.Replace("\r\n", "\n"), All(c));
    }

    [Fact]
    public void EmptyBinaryAndMissingFilesAreClearErrors()
    {
        using var dir = new TempDir();
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => FromBytes(dir, new byte[] { 0xEF, 0xBB, 0xBF })).Message);
        Assert.Contains("binary", Assert.Throws<InvalidDataException>(() => FromBytes(dir, new byte[] { 0x61, 0, 0x62 })).Message);
        Assert.Contains("binary", Assert.Throws<InvalidDataException>(() => FromBytes(dir, Enumerable.Range(1, 40).Select(i => (byte)(i % 8 + 1)).ToArray())).Message);
        Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(dir.File("nope.txt")));
    }

    [Fact]
    public void TooShortForAWindowIsAClearError()
    {
        using var dir = new TempDir();
        var c = FromText(dir, "hello");
        c.EnsureWindow(4);
        var e = Assert.Throws<InvalidDataException>(() => c.EnsureWindow(5));
        Assert.Contains("c.txt", e.Message);
        Assert.Contains("window of 5", e.Message);
    }

    [Fact]
    public void TheTailSplitHoldsOutTheTail()
    {
        using var dir = new TempDir();
        var c = FromText(dir, new string('a', 180) + new string('b', 20), val: 0.1, split: ValidationSplit.Tail);
        Assert.Equal(180, c.TrainLength);
        Assert.Equal(20, c.ValidationLength);
        Assert.Equal(c.IndexOf('b'), c[c.TrainLength]);
        Assert.Equal(c.IndexOf('a'), c[c.TrainLength - 1]);
    }

    [Fact]
    public void WindowsAreTrainingTextAndTargetsAreShiftedByOne()
    {
        using var dir = new TempDir();
        string text = string.Concat(Enumerable.Range(0, 500).Select(i => (char)('a' + i % 26))) + new string('#', 50);
        var c = FromText(dir, text, val: 0.1, split: ValidationSplit.Tail);
        int T = 7, B = 50;
        var x = new int[T * B];
        var y = new int[T * B];
        c.SampleWindows(new Rng(3), T, B, x, y);
        var starts = new HashSet<int>();
        for (int b = 0; b < B; b++)
        {
            var window = new int[T];
            for (int t = 0; t < T; t++) window[t] = x[t * B + b];
            string w = c.Decode(window);
            int s = text.IndexOf(w, StringComparison.Ordinal);
            Assert.True(s >= 0 && s + T < c.TrainLength + 1);
            starts.Add(s % 26);
            for (int t = 0; t < T; t++) Assert.Equal(c.IndexOf(text[s + t + 1]), y[t * B + b]);
            Assert.DoesNotContain('#', w);
        }
        Assert.True(starts.Count > 10); // the starts vary
        var x2 = new int[T * B];
        c.SampleWindows(new Rng(3), T, B, x2, new int[T * B]);
        Assert.Equal(x, x2);
    }

    [Fact]
    public void FixedVocabularyLeavesUnknownCharactersOutAndCountsThem()
    {
        using var dir = new TempDir();
        var path = dir.File("e.txt");
        File.WriteAllText(path, "abXcaYb");
        var c = TextCorpus.Load(path, new[] { (int)'a', 'b', 'c' }, 0);
        Assert.Equal(2, c.UnknownCount);
        Assert.Equal(new[] { (int)'X', 'Y' }, c.UnknownExamples);
        Assert.Equal("abcab", All(c));
    }

    [Fact]
    public void EncodeNormalisesLineEndingsAndReportsUnknown()
    {
        var s = TextCorpus.Encode(new[] { (int)'\n', 'a' }, "a\r\na\rz", out var unknown);
        Assert.Equal(new[] { 1, 0, 1, 0 }, s);
        Assert.Equal(new[] { (int)'z' }, unknown);
    }
}
