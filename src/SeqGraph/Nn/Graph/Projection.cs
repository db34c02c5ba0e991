using SeqGraph.Tensors;
using SeqGraph.Autograd;

namespace SeqGraph.Nn.Graph;

/// <summary>Two-dimensional views of node embeddings for pictures.</summary>
public static class Projection
{
    /// <summary>
    /// Projects the rows of <paramref name="x"/> [N, d] onto its first two principal components
    /// (covariance power iteration with deflation, in double precision). Returns [N, 2].
    /// </summary>
    public static Tensor Pca2(Tensor x)
    {
        if (x.Rank != 2) throw new ArgumentException($"pca needs [N, d], got {x.ShapeString}");
        int n = x.Shape[0], d = x.Shape[1];
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += x.Data[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= Math.Max(1, n);
        var cov = new double[d, d];
        var row = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) row[j] = x.Data[i * d + j] - mean[j];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) cov[a, b] += row[a] * row[b];
        }
        var result = Tensor.Zeros(n, 2);
        for (int comp = 0; comp < 2; comp++)
        {
            var v = new double[d];
            for (int j = 0; j < d; j++) v[j] = 1.0 + 0.1 * j;          // fixed start: deterministic pictures
            double lambda = 0;
            for (int it = 0; it < 300; it++)
            {
                var w = new double[d];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) w[a] += cov[a, b] * v[b];
                double norm = Math.Sqrt(w.Sum(t => t * t));
                if (norm == 0) break;
                for (int a = 0; a < d; a++) v[a] = w[a] / norm;
                lambda = norm;
            }
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) cov[a, b] -= lambda * v[a] * v[b];
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += (x.Data[i * d + j] - mean[j]) * v[j];
                result.Data[i * 2 + comp] = (float)s;
            }
        }
        return result;
    }

    /// <summary>
    /// The share of <paramref name="x"/>'s total variance (sum over its columns) that each column of
    /// <paramref name="projected"/> [N, k] carries, e.g. the principal components of <see cref="Pca2"/>.
    /// </summary>
    public static double[] VarianceShares(Tensor x, Tensor projected)
    {
        if (x.Rank != 2 || projected.Rank != 2 || x.Shape[0] != projected.Shape[0]) throw new ArgumentException($"variance shares need [N, d] and [N, k], got {x.ShapeString} and {projected.ShapeString}");
        double total = ColumnVariances(x).Sum();
        return ColumnVariances(projected).Select(v => total > 0 ? v / total : 0).ToArray();
    }

    private static double[] ColumnVariances(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape[1];
        var v = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += x.Data[i * d + j];
            mean /= Math.Max(1, n);
            for (int i = 0; i < n; i++) { double t = x.Data[i * d + j] - mean; sq += t * t; }
            v[j] = sq / Math.Max(1, n);
        }
        return v;
    }
}
