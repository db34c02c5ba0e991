using SeqGraph.Autograd;

namespace SeqGraph.Tensors
{
    public sealed partial class Tensor
    {
        /// <summary>Accumulated gradient (same shape), or null before any backward pass reached it.</summary>
        public Tensor? Grad { get; set; }

        /// <summary>A leaf that wants its gradient (parameters set this).</summary>
        public bool RequiresGrad { get; set; }

        /// <summary>Keep <see cref="Grad"/> on this intermediate result after <see cref="Backward"/> (as torch's retain_grad).</summary>
        public bool RetainsGrad { get; private set; }

        /// <summary>Optional name (parameters carry their dotted name).</summary>
        public string? Name { get; set; }

        internal Tensor[]? Parents;
        internal Action<Tensor>? BackwardFn;

        /// <summary>True when gradients flow through this tensor (a leaf that requires them, or an op result).</summary>
        public bool Tracked => RequiresGrad || BackwardFn != null;

        /// <summary>Marks this intermediate result so its gradient is kept after backward.</summary>
        public Tensor RetainGrad()
        {
            RetainsGrad = true;
            return this;
        }

        /// <summary>A copy of the values that is cut off from the graph.</summary>
        public Tensor Detach() => new(Data, Shape);

        /// <summary>Adds <paramref name="g"/> into <see cref="Grad"/>, allocating on first use.</summary>
        internal void AccumulateGrad(ReadOnlySpan<float> g)
        {
            if (Grad is null)
            {
                Grad = NewGrad();
                g.CopyTo(Grad.Data);
            }
            else
            {
                TensorPrimitives.Add(Grad.Data, g, Grad.Data);
            }
        }

        /// <summary>
        /// Adds a gradient contribution that <paramref name="write"/> computes into a span it must
        /// overwrite completely: straight into a new <see cref="Grad"/> on first use, otherwise into a
        /// pooled scratch buffer that is then added (no temporary allocation either way).
        /// </summary>
        internal void PushGrad(Action<Span<float>> write)
        {
            if (Grad is null)
            {
                Grad = NewGrad();
                write(Grad.Data);
                return;
            }
            var tmp = BufferPool.Rent(Size);
            try
            {
                write(tmp);
                TensorPrimitives.Add(Grad.Data, tmp, Grad.Data);
            }
            finally
            {
                BufferPool.Return(tmp);
            }
        }

        /// <summary>The gradient buffer, zeroed and allocated on first use, to accumulate into directly.</summary>
        internal Span<float> GradBuffer()
        {
            if (Grad is null)
            {
                Grad = NewGrad();
                Array.Clear(Grad.Data);
            }
            return Grad.Data;
        }

        // Leaves keep ordinary arrays (the user owns them); an intermediate's gradient comes from the
        // buffer pool and goes back to it as soon as its backward closure has run.
        private Tensor NewGrad() => RequiresGrad ? Zeros(Shape) : new Tensor(BufferPool.Rent(Size), Shape);

        /// <summary>
        /// Back-propagates from this scalar (or from <paramref name="gradOutput"/> for a non-scalar):
        /// every tracked tensor that this one depends on receives its gradient. Leaf gradients
        /// accumulate across calls; intermediate gradients are dropped unless retained, and the
        /// graph is released.
        /// </summary>
        public void Backward(Tensor? gradOutput = null)
        {
            if (!Tracked) throw new InvalidOperationException("Backward() on a tensor that does not require gradients");
            if (gradOutput is null && Size != 1)
                throw new InvalidOperationException($"Backward() without a gradient needs a scalar; tensor has shape {ShapeString}");
            var order = Tape.TopologicalOrder(this);
            if (gradOutput is null) AccumulateGrad(new[] { 1f });
            else
            {
                if (!SameShape(gradOutput)) throw new ArgumentException("gradient shape does not match");
                AccumulateGrad(gradOutput.Data);
            }
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (t.BackwardFn is null) continue;
                if (t.Grad is not null) t.BackwardFn(t.Grad);
                t.BackwardFn = null;
                t.Parents = null;
                if (!t.RetainsGrad && !t.RequiresGrad && t.Grad is not null)
                {
                    BufferPool.Return(t.Grad.Data);
                    t.Grad = null;
                }
            }
        }
    }
}

namespace SeqGraph.Autograd
{
    using SeqGraph.Tensors;

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
}
