using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// PyTorch's nn.RNN (tanh) / nn.LSTM equations as its documentation states them, in double, on a
/// state_dict: gates = W_ih x + b_ih + W_hh h + b_hh, split i|f|g|o; c = f⊙c + i⊙g; h = o⊙tanh(c).
/// Time-first layers; a bidirectional layer's output at t is [forward h(t); backward h(t)].
/// </summary>
internal static class TorchReference
{
    /// <summary>Logits [B, classes] of a sequence classifier: head on [h_fwd(T); h_bwd(1)] of the top layer.</summary>
    public static float[] Classifier(Dictionary<string, Tensor> sd, bool rnn, int dirs, int layers, int h, int vocab, bool embedded, int[] batchFirst, int batch, int length)
    {
        var head = sd["head.weight"];
        int classes = head.Dim(0);
        var result = new float[batch * classes];
        for (int b = 0; b < batch; b++)
        {
            var x = new double[length][];
            for (int t = 0; t < length; t++)
            {
                int tok = batchFirst[b * length + t];
                x[t] = embedded ? Row(sd["embedding.weight"], tok) : Enumerable.Range(0, vocab).Select(i => i == tok ? 1.0 : 0.0).ToArray();
            }
            for (int l = 0; l < layers; l++)
            {
                var outs = new double[dirs][][];
                for (int d = 0; d < dirs; d++) outs[d] = Layer(sd, $"rnn.", $"_l{l}" + (d == 1 ? "_reverse" : ""), rnn, h, x, reverse: d == 1);
                x = Enumerable.Range(0, length).Select(t => outs.SelectMany(o => o[t]).ToArray()).ToArray();
            }
            var last = x[length - 1].Take(h).Concat(dirs == 2 ? x[0].Skip(h) : Enumerable.Empty<double>()).ToArray();
            for (int k = 0; k < classes; k++)
            {
                double s = sd["head.bias"].Data[k];
                for (int j = 0; j < last.Length; j++) s += head.Data[k * last.Length + j] * last[j];
                result[b * classes + k] = (float)s;
            }
        }
        return result;
    }

    private static double[][] Layer(Dictionary<string, Tensor> sd, string prefix, string sfx, bool rnn, int h, double[][] x, bool reverse)
    {
        var wih = sd[prefix + "weight_ih" + sfx];
        var whh = sd[prefix + "weight_hh" + sfx];
        var bih = sd[prefix + "bias_ih" + sfx].Data;
        var bhh = sd[prefix + "bias_hh" + sfx].Data;
        int rows = wih.Dim(0), inF = wih.Dim(1), T = x.Length;
        var hs = new double[h];
        var cs = new double[h];
        var output = new double[T][];
        for (int step = 0; step < T; step++)
        {
            int t = reverse ? T - 1 - step : step;
            var pre = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                double s = bih[r] + bhh[r];
                for (int j = 0; j < inF; j++) s += wih.Data[r * inF + j] * x[t][j];
                for (int j = 0; j < h; j++) s += whh.Data[r * h + j] * hs[j];
                pre[r] = s;
            }
            var next = new double[h];
            for (int u = 0; u < h; u++)
            {
                if (rnn) { next[u] = Math.Tanh(pre[u]); continue; }
                double i = Sigmoid(pre[u]), f = Sigmoid(pre[h + u]), g = Math.Tanh(pre[2 * h + u]), o = Sigmoid(pre[3 * h + u]);
                cs[u] = f * cs[u] + i * g;
                next[u] = o * Math.Tanh(cs[u]);
            }
            hs = next;
            output[t] = next;
        }
        return output;
    }

    private static double[] Row(Tensor m, int r) => Enumerable.Range(0, m.Dim(1)).Select(j => (double)m.Data[r * m.Dim(1) + j]).ToArray();

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
