namespace SeqGraph.Tests;

/// <summary>embedding.svg as <c>graph train</c> writes it.</summary>
public class EmbeddingPlotTests
{
    [Fact]
    public void EmbeddingPlotHasAxisLabelsAndCountsThePointsItClamps()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--epochs", "30", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        var svg = File.ReadAllText(Path.Combine(run, "embedding.svg"));
        Assert.Matches(@">PC 1 \(\d+\.\d % of variance\)</text>", svg);
        Assert.Matches(@">PC 2 \(\d+\.\d % of variance\)</text>", svg);
        int hollow = System.Text.RegularExpressions.Regex.Matches(svg, "<circle[^>]*fill=\"none\"").Count;
        Assert.True(hollow > 0);
        Assert.Contains($">{hollow} of 2,708 points lie beyond the 1st–99th percentile range shown; they are drawn hollow on its edge</text>", svg);
    }
}
