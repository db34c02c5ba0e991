using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

/// <summary>
/// The define-by-run tape: each op result remembers its inputs and a closure that pushes its
/// gradient to them (micrograd's idea). <see cref="NoGrad"/> turns recording off.
/// </summary>
public static class Tape
{
    [ThreadStatic] private static int _noGradDepth;

    /// <summary>True while recording is on (outside every NoGrad scope).</summary>
    public static bool Enabled => _noGradDepth == 0;

    /// <summary>Turns recording off until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>A scope in which ops do not record their backward.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Enters the scope.</summary>
        public NoGradScope() => _noGradDepth++;

        /// <summary>Leaves the scope.</summary>
        public void Dispose() => _noGradDepth--;
    }

    /// <summary>
    /// Records <paramref name="backward"/> on <paramref name="result"/> if recording is on and
    /// any input is tracked. The closure receives the result's gradient.
    /// </summary>
    public static Tensor Record(Tensor result, Action<Tensor> backward, params Tensor[] inputs)
    {
        if (!Enabled) return result;
        bool any = false;
        foreach (var t in inputs) any |= t.Tracked;
        if (!any) return result;
        result.Parents = inputs;
        result.BackwardFn = backward;
        return result;
    }

    internal static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor node, int next)>();
        stack.Push((root, 0));
        seen.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var parents = node.Parents;
            if (parents != null && next < parents.Length)
            {
                stack.Push((node, next + 1));
                var p = parents[next];
                if (p.Tracked && seen.Add(p)) stack.Push((p, 0));
            }
            else order.Add(node);
        }
        return order;
    }
}

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
