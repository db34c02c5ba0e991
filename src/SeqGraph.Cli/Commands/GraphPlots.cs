using System.Globalization;
using System.Text;
using SeqGraph.Data;
using SeqGraph.Nn.Graph;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>A 2-D picture of learned node embeddings (the learning curves use <see cref="SeqGraph.Reporting.SvgChart"/>).</summary>
internal static class GraphPlots
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The selected epoch's hidden node representations of one run, projected on two principal components, coloured by class.</summary>
    public static string Embedding(string title, CitationGraph data, NodeTrainingResult run)
    {
        const int size = 520, pad = 30;
        var p = Projection.Pca2(run.Embedding);
        // The 1st..99th percentile box, so a few far-out nodes do not squash the picture; outliers sit on the edge.
        var xs = Enumerable.Range(0, data.NumNodes).Select(i => p.Data[2 * i]).Order().ToArray();
        var ys = Enumerable.Range(0, data.NumNodes).Select(i => p.Data[2 * i + 1]).Order().ToArray();
        float minX = xs[xs.Length / 100], maxX = xs[xs.Length - 1 - xs.Length / 100];
        float minY = ys[ys.Length / 100], maxY = ys[ys.Length - 1 - ys.Length / 100];
        for (int i = 0; i < data.NumNodes; i++)
        {
            p.Data[2 * i] = Math.Clamp(p.Data[2 * i], minX, maxX);
            p.Data[2 * i + 1] = Math.Clamp(p.Data[2 * i + 1], minY, maxY);
        }
        double sx = (size - 2 * pad) / Math.Max(1e-9, maxX - minX), sy = (size - 2 * pad) / Math.Max(1e-9, maxY - minY);
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size + 160}\" height=\"{size}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{size + 160}\" height=\"{size}\" fill=\"white\"/><text x=\"{pad}\" y=\"18\" font-size=\"13\">{Esc(title)}</text>\n");
        for (int i = 0; i < data.NumNodes; i++)
            sb.Append($"<circle cx=\"{F(pad + (p.Data[2 * i] - minX) * sx)}\" cy=\"{F(size - pad - (p.Data[2 * i + 1] - minY) * sy)}\" r=\"2\" fill=\"{Palette[data.Labels[i] % Palette.Length]}\" fill-opacity=\"0.7\"/>\n");
        for (int c = 0; c < data.NumClasses; c++)
            sb.Append($"<circle cx=\"{size + 10}\" cy=\"{40 + 16 * c}\" r=\"5\" fill=\"{Palette[c % Palette.Length]}\"/><text x=\"{size + 20}\" y=\"{44 + 16 * c}\">{Esc(data.ClassNames[c])}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
