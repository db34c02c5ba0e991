using System.Diagnostics;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Graph;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>Issue 15, bounds: which failures are bad input, their one line, and the memory estimate.</summary>
public class InputBoundsTests
{
    [Fact]
    public void OnlyOurOwnValidationIsBadInput()
    {
        Assert.True(InputError.Is(new ConfigException("--hidden", "--hidden must be positive (got 0)")));
        Assert.True(InputError.Is(new InvalidDataException("x.txt: no edges")));
        Assert.True(InputError.Is(new FileNotFoundException("x.txt: no such file")));
        Assert.True(InputError.Is(new DirectoryNotFoundException("data folder 'x' does not exist")));
        Assert.True(InputError.Is(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
        Assert.True(InputError.Is(new IOException("/x: No space left on device")));
        // bugs: the library's own misuse of itself, arithmetic, memory, a parser reading past the end
        Assert.False(InputError.Is(new ArgumentException("tensor too large")));
        Assert.False(InputError.Is(new ArgumentOutOfRangeException("n", "n must be positive")));
        Assert.False(InputError.Is(new OverflowException()));
        Assert.False(InputError.Is(new OutOfMemoryException()));
        Assert.False(InputError.Is(new IndexOutOfRangeException()));
        Assert.False(InputError.Is(new InvalidOperationException("x")));
        Assert.False(InputError.Is(new EndOfStreamException()));
    }

    [Fact]
    public void MessagesAreOneLineWithControlCharactersEscaped()
    {
        Assert.Equal("m.safetensors: tensor 'a\\nb' is missing", InputError.Message(new InvalidDataException("m.safetensors: tensor 'a\nb' is missing")));
        Assert.Equal("a\\r\\tb\\u001B[31m c\\u2028d", InputError.OneLine("a\r\tb\u001B[31m c\u2028d\n"));
        Assert.Equal("plain é ∂ line", InputError.OneLine("plain é ∂ line"));
        Assert.Equal("--x: bad", InputError.Message(new ArgumentException("--x: bad", "x")));
    }

    [Fact]
    public void TheEstimateRefusesInMillisecondsWithLittleAllocation()
    {
        var config = new RnnTrainConfig { Model = RecurrentModel.Lstm, Hidden = 20_000, Layers = 8, Steps = 1, MaxMemory = 16L << 30 };
        Assert.Throws<ConfigException>(config.Validate);   // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<ConfigException>(config.Validate);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("--hidden", e.Option);
        Assert.StartsWith("--hidden 20000: this run needs about ", e.Message);
        Assert.EndsWith("more than --max-memory 16 GB; use smaller sizes or raise --max-memory", e.Message);
        Assert.True(clock.ElapsedMilliseconds < 50, $"{clock.ElapsedMilliseconds} ms");
        Assert.True(allocated < 256 << 10, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void DefaultRunsFitAndTheVocabularyIsCounted()
    {
        // the commands' defaults need well under a gigabyte (so they pass on any machine the default limit allows)
        Assert.InRange(new RnnTrainConfig().Memory().Total, 1e6, 1L << 30);
        Assert.InRange(MemoryEstimate.ForText(new CharLstmConfig(100), 30, 64, 500_000).Total, 1e6, 1L << 30);
        Assert.InRange(MemoryEstimate.ForGraph(2708, 1433, 49_216, 13_264, 7, 8, 8, 1).Total, 1e6, 1L << 30);
        // a 70,000-character vocabulary: its embedding and output rows and the logits of a batch dominate a 16-unit model
        var big = MemoryEstimate.ForText(new CharLstmConfig(70_000, Hidden: 16), 30, 64, 1_000_000);
        var small = MemoryEstimate.ForText(new CharLstmConfig(100, Hidden: 16), 30, 64, 1_000_000);
        Assert.True(big.Total > 10 * small.Total, $"{big.Total:N0} vs {small.Total:N0}");
        // GAT: heads × hidden columns of the first layer for every feature
        var gat = new GraphTrainConfig { Data = "x", Model = GraphModel.Gat, Heads = 100_000, Hidden = 8, MaxMemory = 16L << 30 };
        gat.Validate();   // the sizes alone fit (one feature, one node) …
        var e = Assert.Throws<ConfigException>(() => gat.CheckMemory(2708, 1433, 49_216, 13_264, 7)); // … Cora's 1,433 features do not
        Assert.StartsWith("--heads 100000: ", e.Message);
    }

    [Theory]
    [InlineData(512L << 20, "512 MB")]
    [InlineData(18L << 30, "18 GB")]
    [InlineData(240L << 30, "240 GB")]
    [InlineData((long)(1.5 * (1L << 30)), "1.5 GB")]
    public void SizesAreShownAsPeopleReadThem(long bytes, string shown) => Assert.Equal(shown, MemoryEstimate.Show(bytes));

    [Fact]
    public void InputFileNamesWhatIsWrongWithoutOpeningIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.txt"), "x");
        Assert.Equal(dir.File("a.txt"), InputFile.Check(dir.File("a.txt")));
        Assert.Equal($"{dir.Path} is a folder, expected a file", Assert.Throws<InvalidDataException>(() => InputFile.Check(dir.Path)).Message);
        Assert.Equal($"{dir.File("b")}: no such file", Assert.Throws<FileNotFoundException>(() => InputFile.Check(dir.File("b"))).Message);
        Assert.Equal($"--corpus: {dir.Path} is a folder, expected a file", Assert.Throws<ConfigException>(() => InputFile.Check(dir.Path, "--corpus")).Message);
        Assert.Equal("/dev/null is not a regular file (a character device)", Assert.Throws<InvalidDataException>(() => InputFile.Check("/dev/null")).Message);
    }

    [Fact]
    public void BenchmarksAndParamsAreBoundedAsTheRunsTheyMeasure()
    {
        // found by the fuzz harness: these commands built their models unchecked (an overflow, "negative dimension", out of memory)
        Assert.Equal("--batch", Assert.Throws<ConfigException>(() => new SeqGraph.Experiments.Bench.RnnBenchConfig(Batch: int.MaxValue).Validate()).Option);
        Assert.Equal("--hidden", Assert.Throws<ConfigException>(() => new SeqGraph.Experiments.Bench.RnnBenchConfig(Hidden: int.MaxValue).Validate()).Option);
        Assert.Equal("--hidden", Assert.Throws<ConfigException>(() => new SeqGraph.Experiments.Bench.TextBenchConfig("c.txt", Hidden: int.MaxValue).Validate()).Option);
        Assert.Equal("--sample-chars", Assert.Throws<ConfigException>(() => new SeqGraph.Experiments.Bench.TextBenchConfig("c.txt", SampleChars: int.MaxValue).Validate()).Option);
        Assert.Equal("--hidden", Assert.Throws<ConfigException>(() => RnnParams.Describe(RecurrentModel.Lstm, 10, int.MaxValue, 10)).Option);
        Assert.Equal("--classes", Assert.Throws<ConfigException>(() => RnnParams.Describe(RecurrentModel.Lstm, 10, 16, int.MaxValue)).Option);
        Assert.Equal("--layers", Assert.Throws<ConfigException>(() => RnnParams.Describe(RecurrentModel.Lstm, 10, 16, 10, int.MaxValue)).Option);
        Assert.Equal("--test-samples must be at most 1,000,000 (got 2,147,483,647)",
            Assert.Throws<ConfigException>(() => new RnnTrainConfig { TestSamples = int.MaxValue }.Validate()).Message);
        // the defaults stay accepted
        new SeqGraph.Experiments.Bench.RnnBenchConfig().Validate();
        new SeqGraph.Experiments.Bench.TextBenchConfig("c.txt").Validate();
        Assert.True(RnnParams.Describe(RecurrentModel.Lstm, 10, 128, 10, 2).Total > 0);
    }

    [Fact]
    public void ASweepChecksEveryModelAtEveryLengthBeforeItsFirstTrial()
    {
        // found in review: only the first model was checked, so a bidirectional LSTM at length 500 failed after three trials
        var sweep = new RnnSweepConfig
        {
            Models = [RecurrentModel.Rnn, RecurrentModel.Bilstm], Lengths = [5, 500], Seeds = [0],
            Train = new RnnTrainConfig { MaxMemory = 3L << 30 },
        };
        var e = Assert.Throws<ConfigException>(sweep.Validate);
        Assert.Equal("--lengths", e.Option);
        Assert.StartsWith("--lengths 500: this run needs about", e.Message);
        (sweep with { Models = [RecurrentModel.Rnn] }).Validate();
    }

    [Fact]
    public void ATextModelWhoseRecurrentWeightCannotBeAnArrayIsRefused()
    {
        // found by a tester: 4H x H at --hidden 30000 is 3.6e9 values; the estimate counted only the input side (internal error "tensor too large")
        var e = Assert.Throws<ConfigException>(() => new TextTrainConfig { Corpus = "c.txt", Steps = 3, Hidden = 30000, MaxMemory = 100L << 40 }.Validate());
        Assert.Equal("--hidden 30000: one tensor of this run would hold 3,600,000,000 values, more than the 2,147,483,591 an array can; use smaller sizes", e.Message);
    }

    [Fact]
    public void C1ControlsAreEscapedToo()
    {
        // found in review: the fast path looked only at U+0000–U+001F, so a CSI (U+009B) reached the terminal raw
        Assert.Equal("x.txt: bad \\u009B[2J name", InputError.OneLine("x.txt: bad \u009B[2J name"));
        Assert.Equal("plain line", InputError.OneLine("plain line"));
    }
}
