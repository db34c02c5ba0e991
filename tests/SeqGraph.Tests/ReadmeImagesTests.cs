using System.Text.RegularExpressions;

namespace SeqGraph.Tests;

/// <summary>
/// The README's screenshots (written by the browser tests with SEQGRAPH_UPDATE_SCREENSHOTS=1) are in
/// the repository, are PNGs and small, and none lies there unused.
/// </summary>
public class ReadmeImagesTests
{
    [Fact]
    public void EveryImageTheReadmeShowsIsASmallCommittedPngAndNoneIsUnused()
    {
        string root = SampleTests.RepoRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var shown = Regex.Matches(readme, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(shown);
        foreach (string image in shown)
        {
            string path = Path.Combine(root, image);
            Assert.True(File.Exists(path), $"README shows {image}, which is not in the repository");
            byte[] head = File.ReadAllBytes(path)[..8];
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
            Assert.True(new FileInfo(path).Length < 200_000, $"{image} is {new FileInfo(path).Length:N0} bytes");
        }
        var unused = Directory.EnumerateFiles(Path.Combine(root, "docs", "images"))
            .Select(f => "docs/images/" + Path.GetFileName(f)).Except(shown).ToList();
        Assert.True(unused.Count == 0, "not shown by the README: " + string.Join(", ", unused));
    }
}
