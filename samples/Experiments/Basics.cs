using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace ExperimentsSample;

/// <summary>Tensors and the tape.</summary>
public static class Basics
{
    /// <summary>y = Σ tanh(x·Wᵀ + b), its gradient with respect to W, and a finite-difference check of the gradients.</summary>
    public static (float Y, float[] GradW, bool Checked) Run()
    {
        // <snippet autograd>
        var rng = new Rng(0);
        var w = Tensor.Uniform(rng, -1, 1, 3, 4);          // float32, row-major [3, 4]
        var b = Tensor.Zeros(3);
        var x = Tensor.Uniform(rng, -1, 1, 2, 4);          // a batch of two inputs [2, 4]
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        Tensor y = Ops.Tanh(Ops.Linear(x, w, b)).Sum();    // every op is recorded on the tape
        y.Backward();                                      // w.Grad, b.Grad = ∂y/∂w, ∂y/∂b
        float[] gradW = w.Grad!.Data.ToArray();
        // the same gradients against central finite differences
        GradCheckResult check = GradCheck.Check(() => Ops.Tanh(Ops.Linear(x, w, b)).Sum(), new[] { w, b });
        // </snippet>
        return (y.Item(), gradW, check.Passed);
    }
}
