using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

/// <summary>
/// Compares the gradients that <c>Backward()</c> computes with central finite
/// differences (f(x+ε) − f(x−ε)) / 2ε. The loss is evaluated in float32 by the engine and
/// accumulated here in double; choose ε around 1e-2..1e-3 for inputs of order one.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks ∂loss/∂input for every input. <paramref name="loss"/> must rebuild the scalar loss
    /// from the current values of <paramref name="inputs"/> on every call (it is called 2·N + 1 times).
    /// At most <paramref name="maxElements"/> elements per input are checked (spread evenly).
    /// </summary>
    public static GradCheckResult Check(Func<Tensor> loss, IReadOnlyList<Tensor> inputs, float eps = 1e-2f,
        double atol = 1e-3, double rtol = 1e-2, int maxElements = 64)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.Grad = null;
        }
        var l = loss();
        if (l.Size != 1) throw new ArgumentException("the loss must be a scalar");
        l.Backward();
        var analytic = inputs.Select(x => x.Grad?.Data.ToArray() ?? new float[x.Size]).ToList();

        double maxAbs = 0, maxRel = 0, worstScore = -1;
        string worst = "";
        bool passed = true;
        int count = 0;
        using (Tape.NoGrad())
        {
            for (int j = 0; j < inputs.Count; j++)
            {
                var x = inputs[j];
                int stride = Math.Max(1, x.Size / maxElements);
                for (int i = 0; i < x.Size; i += stride)
                {
                    float orig = x.Data[i];
                    x.Data[i] = orig + eps;
                    double fp = loss().Item();
                    x.Data[i] = orig - eps;
                    double fm = loss().Item();
                    x.Data[i] = orig;
                    // The step actually taken in float32 may differ slightly from 2ε.
                    double h = (double)(orig + eps) - (double)(orig - eps);
                    double numeric = (fp - fm) / h;
                    double a = analytic[j][i];
                    double abs = Math.Abs(a - numeric);
                    double rel = abs / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), 1e-3);
                    maxAbs = Math.Max(maxAbs, abs);
                    maxRel = Math.Max(maxRel, rel);
                    double score = abs / (atol + rtol * Math.Abs(numeric));
                    if (score > 1) passed = false;
                    if (score > worstScore)
                    {
                        worstScore = score;
                        worst = $"input {j}, element {i}: analytic {a:G6}, numeric {numeric:G6}";
                    }
                    count++;
                }
            }
        }
        return new GradCheckResult(maxAbs, maxRel, worst, count) { Passed = passed };
    }
}
