using System.Globalization;
using System.Text;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// loss.svg and accuracy.svg of a text run, drawn from its metrics.csv: training curve and the
/// validation points (loss in bits per character so both share a scale).
/// </summary>
/// <remarks>A plain polyline chart; to be replaced by the shared SvgChart once the reporting branch lands.</remarks>
internal static class TextCharts
{
    public static void Write(string dir)
    {
        string path = Path.Combine(dir, "metrics.csv");
        if (!File.Exists(path)) return;
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).Where(c => c.Length >= 7).ToList();
        static double P(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        var step = rows.Select(r => P(r[0])).ToArray();
        double ln2 = Math.Log(2);
        AtomicFile.WriteAllText(Path.Combine(dir, "loss.svg"), Chart("Loss (bits per character)",
            ("train", step, rows.Select(r => P(r[2]) / ln2).ToArray(), "#1f77b4"),
            ("validation", step, rows.Select(r => P(r[5])).ToArray(), "#d62728")));
        AtomicFile.WriteAllText(Path.Combine(dir, "accuracy.svg"), Chart("Next-character accuracy",
            ("train", step, rows.Select(r => P(r[3])).ToArray(), "#1f77b4"),
            ("validation", step, rows.Select(r => P(r[6])).ToArray(), "#d62728")));
    }

    private static string Chart(string title, params (string Name, double[] X, double[] Y, string Color)[] series)
    {
        const double W = 640, H = 400, L = 60, R = 20, T = 40, B = 40;
        var pts = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        double x0 = pts.Count > 0 ? pts.Min(p => p.First) : 0, x1 = pts.Count > 0 ? pts.Max(p => p.First) : 1;
        double y0 = pts.Count > 0 ? pts.Min(p => p.Second) : 0, y1 = pts.Count > 0 ? pts.Max(p => p.Second) : 1;
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        double Sx(double x) => L + (x - x0) / (x1 - x0) * (W - L - R);
        double Sy(double y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n<text x=\"{W / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{title}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/><line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double yv = y0 + (y1 - y0) * i / 4, xv = x0 + (x1 - x0) * i / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{L - 5}\" y=\"{F(Sy(yv) + 4)}\" text-anchor=\"end\">{yv:0.###}</text>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Sx(xv))}\" y=\"{H - B + 16}\" text-anchor=\"middle\">{xv:0}</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W / 2}\" y=\"{H - 5}\" text-anchor=\"middle\">step</text>\n");
        int k = 0;
        foreach (var (name, xs, ys, color) in series)
        {
            var line = xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).Select(p => $"{F(Sx(p.First))},{F(Sy(p.Second))}");
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{string.Join(" ", line)}\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W - R - 100}\" y=\"{T + 15 * k}\" fill=\"{color}\">{name}</text>\n");
            k++;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
