namespace SeqGraph.Tensors;

public sealed partial class Tensor
{
    /// <summary>Accumulated gradient (same shape), or null before any backward pass reached it.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>A leaf that wants its gradient (parameters set this).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Keep <see cref="Grad"/> on this intermediate result after a backward pass (as torch's retain_grad).</summary>
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
}
