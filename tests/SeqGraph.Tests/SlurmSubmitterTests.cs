using SeqGraph.Experiments.Sweeps;

namespace SeqGraph.Tests;

/// <summary>The scripts <see cref="SlurmSubmitter"/> writes, as text (the real sbatch runs them in <see cref="SlurmSweepTests"/>).</summary>
public class SlurmSubmitterTests
{
    [Theory]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "1-8")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 9, 3, 5, 7, 8, 5 }, "3,5,7-9")]
    [InlineData(new[] { 1, 2, 4, 5, 1000 }, "1-2,4-5,1000")]
    public void RangesAreSortedSlurmArrayRanges(int[] numbers, string expected) =>
        Assert.Equal(expected, SlurmSubmitter.Ranges(numbers));

    [Theory]
    [InlineData("/scratch/sweeps/a-1_b.c", "/scratch/sweeps/a-1_b.c")]
    [InlineData("/tmp/it's a sweep #1", "\"/tmp/it's a sweep #1\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    public void SbatchWordEscapesWhatSbatchWouldSplitOrStrip(string word, string expected) =>
        Assert.Equal(expected, SlurmSubmitter.SbatchWord(word));

    [Theory]
    [InlineData("/opt/seqgraph", "/opt/seqgraph")]
    [InlineData("/tmp/it's here", "'/tmp/it'\\''s here'")]
    [InlineData("", "''")]
    public void QuoteMakesOneBashWord(string word, string expected) => Assert.Equal(expected, SlurmSubmitter.Quote(word));

    static SweepSpec Spec() => SweepSpec.Create("rnn train", ["--hidden", "8"], SweepGrid.Parse("model=rnn,lstm length=4,5 seed=0,1"));

    [Fact]
    public void ArrayScriptHasEveryOptionAsAnSbatchLine()
    {
        var slurm = new SlurmSettings("short", "00:30:00", 2, "2G", 4, ["--qos=low", "--account=lab"], ["/opt/seqgraph dir/seqgraph"]);
        string script = SlurmSubmitter.ArrayScript("/scratch/sw 1", Spec(), [3, 5, 6, 7], 0, slurm, 2);
        Assert.Equal("""
            #!/bin/bash
            # seqgraph sweep: rnn train over model=rnn,lstm length=4,5 seed=0,1
            # submission 2: 4 of 8 trials, one array task each
            #SBATCH --job-name=seqgraph-sweep
            #SBATCH --array=3,5-7%4
            #SBATCH --partition=short
            #SBATCH --time=00:30:00
            #SBATCH --mem=2G
            #SBATCH --output="/scratch/sw 1/slurm/trial-%a-job-%A.out"
            #SBATCH --cpus-per-task=2
            #SBATCH --qos=low
            #SBATCH --account=lab
            exec '/opt/seqgraph dir/seqgraph' sweep run-trial '/scratch/sw 1' "$SLURM_ARRAY_TASK_ID"

            """.Replace("\r\n", "\n", StringComparison.Ordinal), script);
    }

    [Fact]
    public void ArrayScriptOfALaterChunkOffsetsTheTaskId()
    {
        var slurm = new SlurmSettings(Launcher: ["/usr/bin/dotnet", "/opt/sg/SeqGraph.Cli.dll"]);
        string script = SlurmSubmitter.ArrayScript("/s", Spec(), [1001, 1002, 1500], 1000, slurm, 1);
        Assert.Contains("\n#SBATCH --array=1-2,500\n", script);
        Assert.DoesNotContain("--partition", script);
        Assert.DoesNotContain("--time", script);
        Assert.EndsWith("exec /usr/bin/dotnet /opt/sg/SeqGraph.Cli.dll sweep run-trial /s \"$((SLURM_ARRAY_TASK_ID + 1000))\"\n", script);
    }

    [Fact]
    public void CollectScriptHasNoTimeLimitAndOneCpu()
    {
        var slurm = new SlurmSettings("short", "00:30:00", 8, "2G", null, ["--qos=low"], ["seqgraph"]);
        Assert.Equal("""
            #!/bin/bash
            # seqgraph sweep: collects the trials of submission 1 once they have all ended, however they ended (afterany)
            #SBATCH --job-name=seqgraph-collect
            #SBATCH --partition=short
            #SBATCH --mem=2G
            #SBATCH --output=/s/slurm/collect-1-job-%j.out
            #SBATCH --cpus-per-task=1
            #SBATCH --qos=low
            exec seqgraph sweep collect /s

            """.Replace("\r\n", "\n", StringComparison.Ordinal), SlurmSubmitter.CollectScript("/s", slurm, 1));
    }

    [Fact]
    public void SlurmRefusesASweepFolderWithAPercentSign()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"seqgraph-sweep-{Guid.NewGuid():N}-100%");
        try
        {
            var (code, _, err) = CliTests.Run("sweep", "rnn", "train", "--grid", "seed=0,1", "--hidden", "8", "--steps", "5", "--out", dir, "--executor", "slurm");
            CliTests.AssertOneErrorLine(code, err, "has a '%', which sbatch reads as a file-name pattern");
            Assert.False(Directory.Exists(Path.Combine(dir, "slurm")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
