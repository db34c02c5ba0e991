using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace SeqGraph.Reporting;

/// <summary>
/// A small, dependency-free line chart written as standalone SVG: title, axis labels, "nice"
/// ticks with grid lines, several named series with distinct colours and a legend, an optional
/// shaded mean ± std band per series, optional markers and an optional log-scale y axis.
/// Non-finite points are skipped and break the line; on a log axis values ≤ 0 are skipped too
/// and a note on the chart says how many. Numbers are written in the invariant culture and all
/// text is XML-escaped.
/// </summary>
/// <example><code>
/// var chart = new SvgChart("Loss", "step", "loss") { LogY = true };
/// chart.AddSeries("lstm", steps, loss, lossStd);
/// chart.Save("loss.svg");
/// </code></example>
public sealed class SvgChart
{
    /// <summary>The SVG namespace every element is written in.</summary>
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Tableau 10: distinct, colour-blind-friendly hues. Beyond ten series the colours repeat
    // with a dash pattern so every series still looks different.
    private static readonly string[] Palette =
    {
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    };
    private static readonly string[] Dashes = { "", "6 3", "2 3", "8 3 2 3" };

    private readonly List<Series> _series = new();

    /// <summary>Creates an empty chart.</summary>
    public SvgChart(string title, string xLabel, string yLabel)
    {
        Title = title ?? "";
        XLabel = xLabel ?? "";
        YLabel = yLabel ?? "";
    }

    /// <summary>Chart title, shown at the top.</summary>
    public string Title { get; }

    /// <summary>Label under the x axis.</summary>
    public string XLabel { get; }

    /// <summary>Label beside the y axis.</summary>
    public string YLabel { get; }

    /// <summary>Log10 y axis with ticks at powers of ten; values ≤ 0 are skipped.</summary>
    public bool LogY { get; init; }

    /// <summary>Draw a small circle at every point (isolated points always get one).</summary>
    public bool Markers { get; init; }

    /// <summary>The series added so far.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>
    /// Adds a line. <paramref name="x"/>, <paramref name="y"/> and, if given, <paramref name="std"/>
    /// and <paramref name="labels"/> must have equal lengths; <paramref name="std"/> draws a shaded
    /// band y ± std, a non-null label is written small above its point (e.g. "1/3" where only one run
    /// of three contributed). Arrays are copied.
    /// </summary>
    public SvgChart AddSeries(string name, double[] x, double[] y, double[]? std = null, string?[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length)
            throw new ArgumentException($"series '{name}': x has {x.Length} values but y has {y.Length}", nameof(y));
        if (std is not null && std.Length != y.Length)
            throw new ArgumentException($"series '{name}': std has {std.Length} values but y has {y.Length}", nameof(std));
        if (labels is not null && labels.Length != y.Length)
            throw new ArgumentException($"series '{name}': labels has {labels.Length} values but y has {y.Length}", nameof(labels));
        _series.Add(new Series(name, (double[])x.Clone(), (double[])y.Clone(), (double[]?)std?.Clone(), (string?[]?)labels?.Clone()));
        return this;
    }

    /// <summary>Writes the chart as SVG text (UTF-8) to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToSvg(), new UTF8Encoding(false));

    /// <summary>Renders the chart as a standalone SVG document of the given pixel size.</summary>
    public string ToSvg(int width = 720, int height = 420)
    {
        if (width < 200 || height < 150)
            throw new ArgumentOutOfRangeException(nameof(width), $"chart must be at least 200×150 pixels, got {width}×{height}");

        int skipped = 0;
        bool Usable(double xv, double yv) => double.IsFinite(xv) && double.IsFinite(yv) && (!LogY || yv > 0);
        double xlo = double.PositiveInfinity, xhi = double.NegativeInfinity;
        double ylo = double.PositiveInfinity, yhi = double.NegativeInfinity;
        foreach (var s in _series)
            for (int i = 0; i < s.X.Length; i++)
            {
                if (!Usable(s.X[i], s.Y[i])) { if (LogY && double.IsFinite(s.Y[i]) && double.IsFinite(s.X[i])) skipped++; continue; }
                (xlo, xhi) = (Math.Min(xlo, s.X[i]), Math.Max(xhi, s.X[i]));
                (ylo, yhi) = (Math.Min(ylo, s.Y[i]), Math.Max(yhi, s.Y[i]));
                double sd = s.Std is null ? 0 : Math.Abs(s.Std[i]);
                if (!double.IsFinite(sd)) continue;
                yhi = Math.Max(yhi, s.Y[i] + sd);
                if (!LogY || s.Y[i] - sd > 0) ylo = Math.Min(ylo, s.Y[i] - sd);
            }
        bool empty = xlo > xhi;
        var xAxis = ChartAxis.Linear(xlo, xhi, 0.02);
        var yAxis = LogY ? ChartAxis.Logarithmic(ylo, yhi) : ChartAxis.Linear(ylo, yhi, 0.05);

        // layout: legend on the right, outside the plot so it never hides data
        int longest = _series.Count == 0 ? 0 : _series.Max(s => s.Name.Length);
        double legendWidth = _series.Count == 0 ? 0 : Math.Min(200, 34 + 7 * longest);
        double left = 72, top = 44, right = width - 16 - legendWidth, bottom = height - 52;

        var root = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("font-family", "Helvetica, Arial, sans-serif"), new XAttribute("font-size", 12));
        root.Add(new XElement(Svg + "rect", A("width", width), A("height", height), new XAttribute("fill", "white")));
        root.Add(new XElement(Svg + "defs", new XElement(Svg + "clipPath", new XAttribute("id", "plot-area"),
            new XElement(Svg + "rect", A("x", left), A("y", top), A("width", right - left), A("height", bottom - top)))));

        // grid, ticks, tick labels
        var grid = new XElement(Svg + "g", new XAttribute("class", "grid"), new XAttribute("stroke", "#e3e3e3"));
        var labels = new XElement(Svg + "g", new XAttribute("class", "ticks"), new XAttribute("fill", "#444"));
        foreach (double t in xAxis.Ticks)
        {
            double px = xAxis.ToPixel(t, left, right);
            grid.Add(Line(px, top, px, bottom));
            labels.Add(Text(px, bottom + 16, xAxis.Format(t), "middle"));
        }
        foreach (double t in yAxis.Ticks)
        {
            double py = yAxis.ToPixel(t, bottom, top);
            grid.Add(Line(left, py, right, py));
            labels.Add(Text(left - 6, py + 4, yAxis.Format(t), "end"));
        }
        root.Add(grid, labels);
        root.Add(new XElement(Svg + "rect", new XAttribute("class", "frame"), A("x", left), A("y", top),
            A("width", right - left), A("height", bottom - top), new XAttribute("fill", "none"), new XAttribute("stroke", "#888")));

        // title and axis labels
        root.Add(Text(width / 2.0, 24, Title, "middle", ("font-size", "16"), ("font-weight", "bold")));
        root.Add(Text((left + right) / 2, height - 12, XLabel, "middle", ("font-size", "13")));
        double yMid = (top + bottom) / 2;
        root.Add(Text(18, yMid, YLabel, "middle", ("font-size", "13"),
            ("transform", $"rotate(-90 {F(18)} {F(yMid)})")));

        var plot = new XElement(Svg + "g", new XAttribute("clip-path", "url(#plot-area)"));
        root.Add(plot);
        for (int k = 0; k < _series.Count; k++)
            DrawSeries(plot, _series[k], k, xAxis, yAxis, left, right, top, bottom, Usable);

        if (empty)
            root.Add(Text((left + right) / 2, yMid, "no data", "middle", ("fill", "#999"), ("font-size", "14")));
        if (skipped > 0)
            root.Add(Text(right, top - 6, $"{skipped} value{(skipped == 1 ? "" : "s")} ≤ 0 not shown (log scale)", "end",
                ("fill", "#a33"), ("font-size", "11"), ("class", "note")));

        // legend
        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"));
        for (int k = 0; k < _series.Count; k++)
        {
            double ly = top + 8 + 18 * k, lx = right + 12;
            var (colour, dash) = Style(k);
            legend.Add(new XElement(Svg + "line", A("x1", lx), A("y1", ly), A("x2", lx + 20), A("y2", ly),
                new XAttribute("stroke", colour), new XAttribute("stroke-width", 2.5), DashAttr(dash)));
            legend.Add(Text(lx + 26, ly + 4, _series[k].Name, "start"));
        }
        root.Add(legend);
        return new XDocument(root).ToString();
    }

    private void DrawSeries(XElement plot, Series s, int k, ChartAxis xa, ChartAxis ya,
        double left, double right, double top, double bottom, Func<double, double, bool> usable)
    {
        var (colour, dash) = Style(k);
        var segments = new List<List<int>>();
        List<int>? current = null;
        for (int i = 0; i < s.X.Length; i++)
        {
            if (!usable(s.X[i], s.Y[i])) { current = null; continue; }
            if (current is null) segments.Add(current = new List<int>());
            current.Add(i);
        }
        double Px(int i) => xa.ToPixel(s.X[i], left, right);
        double Py(double v) => ya.ToPixel(LogY ? Math.Max(v, ya.Min * 1e-3) : v, bottom, top);

        if (s.Std is not null)
            foreach (var seg in segments)
            {
                var pts = new StringBuilder();
                foreach (int i in seg) pts.Append(F(Px(i))).Append(',').Append(F(Py(s.Y[i] + Sd(s, i)))).Append(' ');
                for (int j = seg.Count - 1; j >= 0; j--)
                    pts.Append(F(Px(seg[j]))).Append(',').Append(F(Py(s.Y[seg[j]] - Sd(s, seg[j])))).Append(' ');
                plot.Add(new XElement(Svg + "polygon", new XAttribute("class", "band"), new XAttribute("points", pts.ToString().TrimEnd()),
                    new XAttribute("fill", colour), new XAttribute("fill-opacity", 0.18), new XAttribute("stroke", "none")));
            }

        var d = new StringBuilder();
        foreach (var seg in segments)
            for (int j = 0; j < seg.Count; j++)
                d.Append(j == 0 ? "M" : " L").Append(F(Px(seg[j]))).Append(',').Append(F(Py(s.Y[seg[j]]))).Append(j == seg.Count - 1 ? " " : "");
        plot.Add(new XElement(Svg + "path", new XAttribute("class", "series"), new XAttribute("data-name", s.Name),
            new XAttribute("d", d.ToString().TrimEnd()), new XAttribute("fill", "none"), new XAttribute("stroke", colour),
            new XAttribute("stroke-width", 2), new XAttribute("stroke-linejoin", "round"), DashAttr(dash)));

        foreach (var seg in segments)
            if (Markers || seg.Count == 1)
                foreach (int i in seg)
                    plot.Add(new XElement(Svg + "circle", new XAttribute("class", "marker"), A("cx", Px(i)), A("cy", Py(s.Y[i])),
                        new XAttribute("r", 3), new XAttribute("fill", colour)));

        if (s.Labels is not null)
            foreach (var seg in segments)
                foreach (int i in seg)
                    if (s.Labels[i] is { } label)
                        plot.Add(Text(Px(i), Py(s.Y[i]) - 8, label, "middle", ("class", "point-label"), ("fill", colour), ("font-size", "11")));
    }

    private static double Sd(Series s, int i) => s.Std![i] is var v && double.IsFinite(v) ? Math.Abs(v) : 0;

    private static (string Colour, string Dash) Style(int k) =>
        (Palette[k % Palette.Length], Dashes[(k / Palette.Length) % Dashes.Length]);

    private static XAttribute? DashAttr(string dash) => dash.Length == 0 ? null : new XAttribute("stroke-dasharray", dash);

    private static string F(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static XAttribute A(string name, double v) => new(name, F(v));

    private static XElement Line(double x1, double y1, double x2, double y2) =>
        new(Svg + "line", A("x1", x1), A("y1", y1), A("x2", x2), A("y2", y2));

    private static XElement Text(double x, double y, string text, string anchor, params (string Name, string Value)[] extra)
    {
        var e = new XElement(Svg + "text", A("x", x), A("y", y), new XAttribute("text-anchor", anchor), text);
        foreach (var (n, v) in extra) e.SetAttributeValue(n, v);
        return e;
    }

    private sealed record Series(string Name, double[] X, double[] Y, double[]? Std, string?[]? Labels);
}
