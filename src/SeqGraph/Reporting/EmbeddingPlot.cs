using System.Globalization;
using System.Text;

namespace SeqGraph.Reporting;

/// <summary>
/// A 2-D scatter of points coloured by class, as SVG: learned node embeddings projected on two
/// principal components (the learning curves use <see cref="SvgChart"/>). Each axis spans the 1st
/// to 99th percentile of its coordinate (plus a small margin), so a few far-out points do not
/// squash the picture; points beyond it are drawn hollow on the frame's edge and their number is
/// written under the plot. Both axes have tick values and a label; a node without a label
/// (class −1) is grey, listed as "unlabelled" in the legend.
/// </summary>
public static class EmbeddingPlot
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    private const string UnlabelledColour = "#b0b0b0";

    /// <summary>
    /// The SVG for points (x0, y0, x1, y1, …) with one class index each (−1: no label), the class
    /// names for the legend, and the axis labels.
    /// </summary>
    public static string ToSvg(string title, ReadOnlySpan<float> xy, IReadOnlyList<int> labels, IReadOnlyList<string> classNames,
        string xLabel = "x", string yLabel = "y")
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        int n = labels.Count;
        if (xy.Length != 2 * n) throw new ArgumentException($"{n} labels need {2 * n} coordinates, got {xy.Length}", nameof(xy));
        if (n == 0) throw new ArgumentException("no points to plot", nameof(labels));
        const int left = 62, top = 30, plot = 440, legendX = left + plot + 20, width = legendX + 170, height = top + plot + 70;
        var px = new float[n];
        var py = new float[n];
        for (int i = 0; i < n; i++) (px[i], py[i]) = (xy[2 * i], xy[2 * i + 1]);
        var xs = px.Order().ToArray();
        var ys = py.Order().ToArray();
        var ax = ChartAxis.Linear(xs[n / 100], xs[n - 1 - n / 100], 0.04);
        var ay = ChartAxis.Linear(ys[n / 100], ys[n - 1 - n / 100], 0.04);
        double X(double v) => ax.ToPixel(v, left, left + plot);
        double Y(double v) => ay.ToPixel(v, top + plot, top);

        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/><text x=\"{left}\" y=\"18\" font-size=\"13\">{Esc(title)}</text>\n");
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{plot}\" height=\"{plot}\" fill=\"none\" stroke=\"#888\"/>\n");
        foreach (double t in ax.Ticks)
            sb.Append($"<line x1=\"{F(X(t))}\" y1=\"{top + plot}\" x2=\"{F(X(t))}\" y2=\"{top + plot + 4}\" stroke=\"#888\"/><text x=\"{F(X(t))}\" y=\"{top + plot + 16}\" text-anchor=\"middle\">{Esc(ax.Format(t))}</text>\n");
        foreach (double t in ay.Ticks)
            sb.Append($"<line x1=\"{left - 4}\" y1=\"{F(Y(t))}\" x2=\"{left}\" y2=\"{F(Y(t))}\" stroke=\"#888\"/><text x=\"{left - 6}\" y=\"{F(Y(t) + 4)}\" text-anchor=\"end\">{Esc(ay.Format(t))}</text>\n");
        sb.Append($"<text x=\"{left + plot / 2}\" y=\"{top + plot + 34}\" text-anchor=\"middle\" font-size=\"12\">{Esc(xLabel)}</text>\n");
        sb.Append($"<text x=\"16\" y=\"{top + plot / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 {top + plot / 2})\">{Esc(yLabel)}</text>\n");
        int clamped = 0;
        bool anyUnlabelled = false;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Clamp(px[i], ax.Min, ax.Max), y = Math.Clamp(py[i], ay.Min, ay.Max);
            bool outside = x != px[i] || y != py[i];
            string colour = labels[i] < 0 ? UnlabelledColour : Palette[labels[i] % Palette.Length];
            anyUnlabelled |= labels[i] < 0;
            if (outside)
            {
                clamped++;
                sb.Append($"<circle cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"2.5\" fill=\"none\" stroke=\"{colour}\"/>\n");
            }
            else sb.Append($"<circle cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"2\" fill=\"{colour}\" fill-opacity=\"0.7\"/>\n");
        }
        string note = clamped == 0
            ? $"all {n.ToString("N0", CultureInfo.InvariantCulture)} points lie inside the axes"
            : $"{clamped.ToString("N0", CultureInfo.InvariantCulture)} of {n.ToString("N0", CultureInfo.InvariantCulture)} points lie beyond the 1st–99th percentile range shown; they are drawn hollow on its edge";
        sb.Append($"<text x=\"{left}\" y=\"{top + plot + 56}\" fill=\"#555\">{Esc(note)}</text>\n");
        for (int c = 0; c < classNames.Count; c++)
            sb.Append($"<circle cx=\"{legendX}\" cy=\"{top + 10 + 16 * c}\" r=\"5\" fill=\"{Palette[c % Palette.Length]}\"/><text x=\"{legendX + 10}\" y=\"{top + 14 + 16 * c}\">{Esc(classNames[c])}</text>\n");
        if (anyUnlabelled)
            sb.Append($"<circle cx=\"{legendX}\" cy=\"{top + 10 + 16 * classNames.Count}\" r=\"5\" fill=\"{UnlabelledColour}\"/><text x=\"{legendX + 10}\" y=\"{top + 14 + 16 * classNames.Count}\">unlabelled</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
