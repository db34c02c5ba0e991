using System.Globalization;
using System.Text;

namespace SeqGraph.Reporting;

/// <summary>
/// A 2-D scatter of points coloured by class, as SVG: learned node embeddings projected on two
/// principal components (the learning curves use <see cref="SvgChart"/>). The box spans the 1st to
/// 99th percentile on each axis, so a few far-out points do not squash the picture; outliers sit
/// on its edge.
/// </summary>
public static class EmbeddingPlot
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    /// <summary>The SVG for points (x0, y0, x1, y1, …) with one class label each and the class names for the legend.</summary>
    public static string ToSvg(string title, ReadOnlySpan<float> xy, IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        int n = labels.Count;
        if (xy.Length != 2 * n) throw new ArgumentException($"{n} labels need {2 * n} coordinates, got {xy.Length}", nameof(xy));
        const int size = 520, pad = 30;
        var px = new float[n];
        var py = new float[n];
        for (int i = 0; i < n; i++) (px[i], py[i]) = (xy[2 * i], xy[2 * i + 1]);
        var xs = px.Order().ToArray();
        var ys = py.Order().ToArray();
        float minX = xs[n / 100], maxX = xs[n - 1 - n / 100];
        float minY = ys[n / 100], maxY = ys[n - 1 - n / 100];
        double sx = (size - 2 * pad) / Math.Max(1e-9, maxX - minX), sy = (size - 2 * pad) / Math.Max(1e-9, maxY - minY);
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size + 160}\" height=\"{size}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{size + 160}\" height=\"{size}\" fill=\"white\"/><text x=\"{pad}\" y=\"18\" font-size=\"13\">{Esc(title)}</text>\n");
        for (int i = 0; i < n; i++)
        {
            float x = Math.Clamp(px[i], minX, maxX), y = Math.Clamp(py[i], minY, maxY);
            sb.Append($"<circle cx=\"{F(pad + (x - minX) * sx)}\" cy=\"{F(size - pad - (y - minY) * sy)}\" r=\"2\" fill=\"{Palette[labels[i] % Palette.Length]}\" fill-opacity=\"0.7\"/>\n");
        }
        for (int c = 0; c < classNames.Count; c++)
            sb.Append($"<circle cx=\"{size + 10}\" cy=\"{40 + 16 * c}\" r=\"5\" fill=\"{Palette[c % Palette.Length]}\"/><text x=\"{size + 20}\" y=\"{44 + 16 * c}\">{Esc(classNames[c])}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
