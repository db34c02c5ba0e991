using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

/// <summary>The backward pass, as a method on <see cref="Tensor"/> (C# extension member).</summary>
public static class TensorBackward
{
    extension(Tensor t)
    {
        /// <summary>
        /// Back-propagates from this scalar (or from <paramref name="gradOutput"/> for a non-scalar):
        /// every tracked tensor that this one depends on receives its gradient. Leaf gradients
        /// accumulate across calls; intermediate gradients are dropped unless retained, and the
        /// graph is released.
        /// </summary>
        public void Backward(Tensor? gradOutput = null)
        {
            if (!t.Tracked) throw new InvalidOperationException("Backward() on a tensor that does not require gradients");
            if (gradOutput is null && t.Size != 1)
                throw new InvalidOperationException($"Backward() without a gradient needs a scalar; tensor has shape {t.ShapeString}");
            var order = Tape.TopologicalOrder(t);
            if (gradOutput is null) t.AccumulateGrad(new[] { 1f });
            else
            {
                if (!t.SameShape(gradOutput)) throw new ArgumentException("gradient shape does not match");
                t.AccumulateGrad(gradOutput.Data);
            }
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var n = order[i];
                if (n.BackwardFn is null) continue;
                if (n.Grad is not null) n.BackwardFn(n.Grad);
                n.BackwardFn = null;
                n.Parents = null;
                if (!n.RetainsGrad && !n.RequiresGrad && n.Grad is not null)
                {
                    BufferPool.Return(n.Grad.Data);
                    n.Grad = null;
                }
            }
        }
    }
}
