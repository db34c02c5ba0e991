using System.Globalization;
using System.Xml.Linq;
using SeqGraph.Reporting;

namespace SeqGraph.Tests;

public class SvgChartTests
{
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";

    private static XElement Parse(SvgChart chart)
    {
        var root = XDocument.Parse(chart.ToSvg()).Root!;
        Assert.Equal(S + "svg", root.Name);
        return root;
    }

    private static IEnumerable<XElement> ByClass(XElement root, string name, string cls) =>
        root.Descendants(S + name).Where(e => (string?)e.Attribute("class") == cls);

    private static string[] Texts(XElement root) => root.Descendants(S + "text").Select(t => t.Value).ToArray();

    private static double[] YTickValues(XElement root) =>
        root.Descendants(S + "g").Single(g => (string?)g.Attribute("class") == "ticks")
            .Elements(S + "text").Where(t => (string?)t.Attribute("text-anchor") == "end")
            .Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void OnePathPerSeriesLegendNamesAndDistinctColours()
    {
        var x = new double[] { 0, 1, 2, 3 };
        var chart = new SvgChart("loss", "step", "value")
            .AddSeries("rnn", x, new double[] { 3, 2, 1.5, 1 })
            .AddSeries("lstm", x, new double[] { 3, 1, 0.5, 0.2 })
            .AddSeries("gru", x, new double[] { 2, 1, 0.7, 0.3 });
        var root = Parse(chart);
        var paths = ByClass(root, "path", "series").ToList();
        Assert.Equal(3, paths.Count);
        Assert.Equal(3, paths.Select(p => (string)p.Attribute("stroke")!).Distinct().Count());
        var texts = Texts(root);
        foreach (var name in new[] { "rnn", "lstm", "gru", "loss", "step", "value" }) Assert.Contains(name, texts);
        Assert.All(paths, p => Assert.StartsWith("M", (string)p.Attribute("d")!));
    }

    [Fact]
    public void LinearTicksAreNiceStepsCoveringTheData()
    {
        var chart = new SvgChart("t", "x", "y").AddSeries("s", new double[] { 0, 10 }, new double[] { 0.13, 0.87 });
        double[] ticks = YTickValues(Parse(chart));
        Assert.True(ticks.Length >= 3, "at least three y ticks");
        double step = ticks[1] - ticks[0];
        Assert.Contains(Math.Round(step / Math.Pow(10, Math.Floor(Math.Log10(step))), 6), new[] { 1.0, 2.0, 5.0 });
        for (int i = 1; i < ticks.Length; i++) Assert.Equal(step, ticks[i] - ticks[i - 1], 9);
        Assert.True(ticks[0] <= 0.2 && ticks[^1] >= 0.8);
        Assert.Equal(new[] { 0.1, 0.2, 0.5, 1.0, 10.0 },
            new[] { 0.07, 0.2, 0.3, 0.9, 6.0 }.Select(ChartAxis.NiceStep).Select(v => Math.Round(v, 9)).ToArray());
    }

    [Fact]
    public void TextIsEscaped()
    {
        var chart = new SvgChart("a <b> & \"c\"", "x<", "y&").AddSeries("s<&>", new double[] { 1, 2 }, new double[] { 1, 2 });
        string svg = chart.ToSvg();
        Assert.Contains("a &lt;b&gt; &amp;", svg);
        Assert.DoesNotContain("<b>", svg);
        var texts = Texts(XDocument.Parse(svg).Root!);
        Assert.Contains("a <b> & \"c\"", texts);
        Assert.Contains("s<&>", texts);
    }

    [Fact]
    public void LogScaleHasPowerOfTenTicksAndSkipsNonPositiveValues()
    {
        var x = Enumerable.Range(0, 7).Select(i => (double)i).ToArray();
        var y = x.Select(i => Math.Pow(10, -6 + i)).ToArray(); // 1e-6 .. 1
        var bad = (double[])y.Clone();
        bad[2] = 0;
        bad[3] = -5;
        var chart = new SvgChart("norms", "t", "norm") { LogY = true }.AddSeries("a", x, y).AddSeries("b", x, bad);
        var root = Parse(chart);
        double[] ticks = YTickValues(root);
        Assert.Equal(Enumerable.Range(-6, 7).Select(e => Math.Pow(10, e)).ToArray(), ticks, new RelativeComparer(1e-9));
        Assert.Contains(Texts(root), t => t.Contains("2 values ≤ 0", StringComparison.Ordinal));
        // the two non-positive values break the line of series b into two pieces
        var d = (string)ByClass(root, "path", "series").Last().Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.DoesNotContain("NaN", root.ToString());
        Assert.DoesNotContain("Infinity", root.ToString());
    }

    [Fact]
    public void StdGivesABandPolygonPerSegment()
    {
        var x = new double[] { 0, 1, 2, 3 };
        var chart = new SvgChart("acc", "T", "accuracy")
            .AddSeries("mean", x, new double[] { 0.5, 0.6, 0.7, 0.8 }, new double[] { 0.1, 0.1, 0.05, 0 })
            .AddSeries("plain", x, new double[] { 0.4, 0.5, 0.6, 0.7 });
        var bands = ByClass(Parse(chart), "polygon", "band").ToList();
        var band = Assert.Single(bands);
        Assert.Equal(8, ((string)band.Attribute("points")!).Split(' ').Length); // 4 upper + 4 lower points
        // the band widens the y range: the top of 0.6 + 0.1 … and the bottom 0.5 − 0.1 = 0.4 fit
        double[] ticks = YTickValues(Parse(chart));
        Assert.True(ticks[0] <= 0.4 && ticks[^1] >= 0.8);
    }

    [Fact]
    public void NaNPointsAreSkippedAndBreakTheLine()
    {
        var chart = new SvgChart("t", "x", "y") { Markers = true }
            .AddSeries("s", new double[] { 0, 1, 2, 3, 4, 5 }, new double[] { 1, 2, double.NaN, 4, double.PositiveInfinity, 6 });
        var root = Parse(chart);
        string d = (string)ByClass(root, "path", "series").Single().Attribute("d")!;
        Assert.Equal(3, d.Count(c => c == 'M'));
        Assert.Equal(1, d.Count(c => c == 'L'));
        Assert.Equal(4, ByClass(root, "circle", "marker").Count());
        Assert.DoesNotContain("NaN", root.ToString());
    }

    [Fact]
    public void EmptyChartStillRenders()
    {
        var root = Parse(new SvgChart("nothing yet", "x", "y"));
        Assert.Contains("no data", Texts(root));
        Assert.Empty(ByClass(root, "path", "series"));
        var allNaN = Parse(new SvgChart("t", "x", "y").AddSeries("s", new[] { double.NaN }, new[] { double.NaN }));
        Assert.Contains("no data", Texts(allNaN));
    }

    [Fact]
    public void NumbersAreInvariantWhateverTheCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // the test project runs in globalization-invariant mode, so build a comma-decimal culture
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("0,5", 0.5.ToString(CultureInfo.CurrentCulture)); // the trap is armed
            var chart = new SvgChart("t", "x", "y").AddSeries("s", new double[] { 0, 0.5 }, new double[] { 0.25, 0.75 });
            var root = Parse(chart);
            Assert.Contains(YTickValues(root), v => v > 0 && v < 1 && v != Math.Floor(v));
            string d = (string)ByClass(root, "path", "series").Single().Attribute("d")!;
            // two points: exactly four coordinates; a comma decimal would split them into more
            var numbers = d.Split(new[] { 'M', 'L', ' ', ',' }, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, numbers.Length);
            Assert.All(numbers, n => double.Parse(n, CultureInfo.InvariantCulture));
            Assert.Contains(numbers, n => n.Contains('.'));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void PointLabelsAreDrawnWhereGivenAndSkippedWithTheirPoints()
    {
        var chart = new SvgChart("steps", "T", "steps") { Markers = true }
            .AddSeries("rnn", new double[] { 5, 10, 15 }, new double[] { 100, double.NaN, 300 }, labels: new[] { null, "0/3", "1/3" });
        var root = Parse(chart);
        var labels = ByClass(root, "text", "point-label").Select(t => t.Value).ToArray();
        Assert.Equal(new[] { "1/3" }, labels);   // the NaN point has no position, so no label
        Assert.Throws<ArgumentException>(() => new SvgChart("a", "b", "c").AddSeries("s", new double[] { 1, 2 }, new double[] { 1, 2 }, labels: new[] { "x" }));
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var chart = new SvgChart("t", "x", "y");
        Assert.Throws<ArgumentException>(() => chart.AddSeries("s", new double[2], new double[3]));
        Assert.Throws<ArgumentException>(() => chart.AddSeries("s", new double[2], new double[2], new double[1]));
        Assert.Equal(0, chart.SeriesCount);
    }

    private sealed class RelativeComparer(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol * Math.Max(Math.Abs(a), Math.Abs(b));
        public int GetHashCode(double v) => 0;
    }
}
