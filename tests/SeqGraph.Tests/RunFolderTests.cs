using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SeqGraph.Reporting;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Tests;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "seqgraph-runfolder-" + Guid.NewGuid().ToString("N"));

    public RunFolderTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string ReadShared(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(fs).ReadToEnd();
    }

    [Fact]
    public void CreateMakesNestedFoldersAndAcceptsAnExistingOne()
    {
        string dir = Path.Combine(_root, "a", "b", "run1");
        var run = RunFolder.Create(dir);
        Assert.True(Directory.Exists(dir));
        Assert.Equal(Path.GetFullPath(dir), run.Path);
        Assert.Empty(Directory.GetFiles(dir)); // the write probe is gone
        RunFolder.Create(dir);
    }

    [Fact]
    public void CreateUnderARegularFileFailsNamingThePath()
    {
        string file = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(file, "x");
        string dir = Path.Combine(file, "run");
        var e = Assert.ThrowsAny<IOException>(() => RunFolder.Create(dir));
        Assert.Contains(dir, e.Message);
    }

    [Fact]
    public void ConfigAndSummaryAreIndentedInvariantJsonThatReadsBack()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            var run = RunFolder.Create(Path.Combine(_root, "run"));
            var config = new JsonObject
            {
                ["task"] = "binary-palindrome", ["length"] = 10, ["lr"] = 1e-4, ["clip"] = 5.5,
                ["model"] = new JsonObject { ["hidden"] = 256, ["name"] = "lstm ∂" },
            };
            string path = run.WriteConfig(config);
            Assert.Equal(Path.Combine(run.Path, "config.json"), path);
            string text = File.ReadAllText(path);
            Assert.Contains("\n  \"task\": \"binary-palindrome\"", text.Replace("\r\n", "\n"));
            Assert.Contains("5.5", text);
            Assert.Contains("lstm ∂", text);
            var back = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(1e-4, back["lr"]!.GetValue<double>());
            Assert.Equal(256, back["model"]!["hidden"]!.GetValue<int>());

            run.WriteSummary(new JsonObject { ["accuracy"] = 0.875, ["final_loss"] = double.NaN, ["best"] = double.PositiveInfinity });
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Path, "summary.json")))!;
            Assert.Equal(0.875, summary["accuracy"]!.GetValue<double>());
            Assert.Equal("NaN", summary["final_loss"]!.GetValue<string>());
            Assert.Equal("Infinity", summary["best"]!.GetValue<string>());
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void WholeFileWritesReplaceOldContentAndLeaveNoTemporaryFiles()
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        run.WriteSummary(new JsonObject { ["step"] = 1 });
        run.WriteSummary(new JsonObject { ["step"] = 2 });
        run.SaveChart("loss.svg", new SvgChart("loss", "step", "loss").AddSeries("a", new double[] { 0, 1 }, new double[] { 2, 1 }));
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(run.Path, "summary.json")))!["step"]!.GetValue<int>());
        Assert.Equal("svg", XDocument.Load(Path.Combine(run.Path, "loss.svg")).Root!.Name.LocalName);
        Assert.Equal(new[] { "loss.svg", "summary.json" }, Directory.GetFiles(run.Path).Select(Path.GetFileName).Order().ToArray());
    }

    [Fact]
    public void FailedWholeFileWriteCleansUpItsTemporaryFile()
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        Directory.CreateDirectory(Path.Combine(run.Path, "summary.json")); // the rename target is a folder
        Assert.ThrowsAny<IOException>(() => run.WriteSummary(new JsonObject { ["x"] = 1 }));
        Assert.Empty(Directory.GetFiles(run.Path));
    }

    [Fact]
    public void MetricsRowsAreOnDiskBeforeTheWriterIsClosed()
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        using var m = run.OpenMetrics("metrics.csv", "step", "loss", "accuracy", "grad_norm", "seconds");
        Assert.Equal("step,loss,accuracy,grad_norm,seconds\n", ReadShared(m.Path));
        m.Append(100, 0.6931471805599453, 0.5, 1.25e-7, 3.5);
        m.Append(200, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 7);
        Assert.Equal(2, m.RowCount);
        string[] lines = ReadShared(m.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        string[] first = lines[1].Split(',');
        Assert.Equal("100", first[0]);
        Assert.Equal(0.6931471805599453, double.Parse(first[1], CultureInfo.InvariantCulture)); // round-trips exactly
        Assert.Equal(1.25e-7, double.Parse(first[3], CultureInfo.InvariantCulture));
        Assert.Equal("200,NaN,inf,-inf,7", lines[2]);
    }

    [Fact]
    public void MetricsRejectWrongRowWidthWithoutWritingIt()
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        var m = run.OpenMetrics("m.csv", "step", "loss");
        var e = Assert.Throws<ArgumentException>(() => m.Append(1, 2, 3));
        Assert.Contains("2 columns", e.Message);
        Assert.Throws<ArgumentException>(() => m.Append(1));
        m.Append(1, 0.5);
        m.Dispose();
        m.Dispose();
        Assert.Throws<ObjectDisposedException>(() => m.Append(2, 0.4));
        Assert.Equal("step,loss\n1,0.5\n", File.ReadAllText(m.Path));
    }

    [Theory]
    [InlineData("step,loss")]
    [InlineData("")]
    [InlineData("a\"b")]
    public void MetricsRejectBadColumnNames(string bad)
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        Assert.Throws<ArgumentException>(() => run.OpenMetrics("m.csv", "step", bad));
        Assert.Throws<ArgumentException>(() => run.OpenMetrics("m.csv", "step", "step"));
        Assert.Throws<ArgumentException>(() => run.OpenMetrics("m.csv"));
    }

    [Theory]
    [InlineData("../escape.json")]
    [InlineData("sub/file.json")]
    [InlineData("..")]
    public void FileNamesMustStayInsideTheFolder(string name)
    {
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        Assert.Throws<ArgumentException>(() => run.WriteJson(name, new JsonObject()));
        Assert.False(File.Exists(Path.Combine(_root, "escape.json")));
    }
}
