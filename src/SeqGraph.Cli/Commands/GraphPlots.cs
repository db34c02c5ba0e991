using System.Globalization;
using System.Text;
using SeqGraph.Data;
using SeqGraph.Nn.Graph;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>The pictures of a <c>graph train</c> run: learning curves and a 2-D view of the node embeddings.</summary>
internal static class GraphPlots
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Validation accuracy and training loss per epoch, one thin line per seed and the mean in bold.</summary>
    public static string Curves(string title, IReadOnlyList<NodeTrainingResult> runs)
    {
        const int w = 720, h = 320, left = 50, top = 30, pw = 280, ph = 240, gap = 80;
        int maxEpoch = runs.Max(r => r.Epochs.Count);
        float maxLoss = runs.Max(r => r.Epochs.Max(e => e.TrainLoss));
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/><text x=\"{left}\" y=\"18\" font-size=\"13\">{Esc(title)}</text>\n");
        Panel(sb, left, "validation accuracy", 0, 1, e => e.ValAccuracy);
        Panel(sb, left + pw + gap, "training loss", 0, maxLoss, e => e.TrainLoss);
        sb.Append("</svg>\n");
        return sb.ToString();

        void Panel(StringBuilder s, int x0, string label, double lo, double hi, Func<EpochMetrics, float> value)
        {
            double X(int epoch) => x0 + pw * (epoch - 1.0) / Math.Max(1, maxEpoch - 1);
            double Y(double v) => top + ph * (1 - (v - lo) / (hi - lo));
            s.Append($"<rect x=\"{x0}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#999\"/>\n");
            s.Append($"<text x=\"{x0}\" y=\"{top + ph + 28}\">{label} vs epoch (1..{maxEpoch})</text>\n");
            for (int t = 0; t <= 4; t++)
            {
                double v = lo + (hi - lo) * t / 4;
                s.Append($"<text x=\"{x0 - 4}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{F(v)}</text>\n");
            }
            foreach (var r in runs)
                s.Append($"<polyline fill=\"none\" stroke=\"#9ecae1\" stroke-width=\"0.8\" points=\"{string.Join(' ', r.Epochs.Select(e => $"{F(X(e.Epoch))},{F(Y(value(e)))}"))}\"/>\n");
            var mean = Enumerable.Range(1, maxEpoch).Select(ep =>
            {
                var vals = runs.Where(r => r.Epochs.Count >= ep).Select(r => (double)value(r.Epochs[ep - 1])).ToList();
                return $"{F(X(ep))},{F(Y(vals.Average()))}";
            });
            s.Append($"<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"1.6\" points=\"{string.Join(' ', mean)}\"/>\n");
        }
    }

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
