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
