using SeqGraph.Experiments.Sweeps;

namespace SeqGraph.Tests;

/// <summary>The grid syntax of <c>seqgraph sweep --grid</c> and grid files, and the trials it expands into.</summary>
public class SweepGridTests
{
    [Fact]
    public void RangesListsAndPlainValuesExpandInOrder()
    {
        var axes = SweepGrid.Parse("model=rnn,lstm length=5:20:5 seed=0..2 lr=1e-3,2e-3 input=embed:8,onehot --hidden=-1,3");
        Assert.Equal(["model", "length", "seed", "lr", "input", "hidden"], axes.Select(a => a.Name));
        Assert.Equal(["5", "10", "15", "20"], axes[1].Values);
        Assert.Equal(["0", "1", "2"], axes[2].Values);
        Assert.Equal(["1e-3", "2e-3"], axes[3].Values);
        Assert.Equal(["embed:8", "onehot"], axes[4].Values);
        Assert.Equal(["-1", "3"], axes[5].Values);
        Assert.Equal(2 * 4 * 3 * 2 * 2 * 2, SweepGrid.Count(axes));
        Assert.Equal("model=rnn,lstm length=5,10,15,20 seed=0,1,2 lr=1e-3,2e-3 input=embed:8,onehot hidden=-1,3", SweepGrid.Describe(axes));
    }

    [Fact]
    public void TheFirstAxisChangesSlowestAsNestedLoops()
    {
        var trials = SweepGrid.Expand(SweepGrid.Parse("a=1,2 b=x,y,z")).Select(v => string.Join("", v)).ToList();
        Assert.Equal(["1x", "1y", "1z", "2x", "2y", "2z"], trials);
        var layout = SweepSpec.Layout(SweepGrid.Parse("a=1,2 b=x,y,z"));
        Assert.Equal(Enumerable.Range(1, 6), layout.Select(t => t.Number));
        Assert.Equal("trial-004", layout[3].Folder);
        Assert.Equal("a=2 b=x", layout[3].Label);
        // folders are wide enough for every number, and sort in trial order
        var big = SweepSpec.Layout(SweepGrid.Parse("a=1..1200"));
        Assert.Equal("trial-0001", big[0].Folder);
        Assert.Equal(big.Select(t => t.Folder).Order(StringComparer.Ordinal), big.Select(t => t.Folder));
    }

    [Fact]
    public void AGridFileHoldsOneAxisPerLineWithComments()
    {
        var axes = SweepGrid.ParseFile("grid.txt", ["# the memorization sweep", "", "model: rnn, lstm", "length=5:15:5   # T", "  seed = 0,1"]);
        Assert.Equal("model=rnn,lstm length=5,10,15 seed=0,1", SweepGrid.Describe(axes));
        var e = Assert.Throws<ConfigException>(() => SweepGrid.ParseFile("grid.txt", ["model=rnn", "oops"]));
        Assert.Equal("--grid-file: grid.txt line 2: 'oops' is not name=values (e.g. length=5:40:5 or model=rnn,lstm)", e.Message);
    }

    [Theory]
    [InlineData("length", "--grid: 'length' is not name=values (e.g. length=5:40:5 or model=rnn,lstm)")]
    [InlineData("=5", "--grid: '=5' is not name=values (e.g. length=5:40:5 or model=rnn,lstm)")]
    [InlineData("Length=5", "--grid: 'Length' is not an option name")]
    [InlineData("length=5,,6", "--grid: length has an empty value in 'length=5,,6'")]
    [InlineData("length=5,5", "--grid: length takes the value 5 twice")]
    [InlineData("length=5:1:1", "--grid: length: '5:1:1' is not start:stop:step with step > 0 and stop ≥ start")]
    [InlineData("length=1:5:0", "--grid: length: '1:5:0' is not start:stop:step with step > 0 and stop ≥ start")]
    [InlineData("length=9..2", "--grid: length: '9..2' is not a range a..b with b ≥ a")]
    [InlineData("length=1:2000000000:1", "--grid: length has more than 100,000 values")]
    public void ABadAxisIsOneLineNamingIt(string grid, string message) =>
        Assert.Equal(message, Assert.Throws<ConfigException>(() => SweepGrid.Parse(grid)).Message);

    [Fact]
    public void AWholeGridIsChecked()
    {
        Assert.Equal("--grid: no axis; give name=values, e.g. --grid \"length=5,10 seed=0,1\"", Assert.Throws<ConfigException>(() => SweepGrid.Check([])).Message);
        Assert.Equal("--grid: 'seed' is given twice", Assert.Throws<ConfigException>(() => SweepGrid.Check(SweepGrid.Parse("seed=0 seed=1"))).Message);
        Assert.Equal("--grid: more than 100,000 trials", Assert.Throws<ConfigException>(() => SweepGrid.Check(SweepGrid.Parse("a=1..1000 b=1..1000"))).Message);
        SweepGrid.Check(SweepGrid.Parse("a=1..1000 b=1..100"));
    }

    [Fact]
    public void TimingsAndThreadCountsAreNotResults()
    {
        foreach (string key in new[] { "seconds", "seconds_per_run", "steps_per_second", "chars_per_second", "threads", "best.seconds", "train_seconds" })
            Assert.True(SweepCollection.IsTiming(key), key);
        foreach (string key in new[] { "test_accuracy", "steps", "second", "epochs_per_run", "diverged.step" })
            Assert.False(SweepCollection.IsTiming(key), key);
    }

    [Fact]
    public void SlurmArrayRangesAreCompact()
    {
        Assert.Equal("1-8", SlurmSubmitter.Ranges([1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Equal("3,5,7-9", SlurmSubmitter.Ranges([9, 3, 7, 5, 8]));
        Assert.Equal("'/my dir/x'", SlurmSubmitter.Quote("/my dir/x"));
        Assert.Equal("'it'\\''s'", SlurmSubmitter.Quote("it's"));
        Assert.Equal("/opt/seqgraph/bin/seqgraph", SlurmSubmitter.Quote("/opt/seqgraph/bin/seqgraph"));
    }
}
