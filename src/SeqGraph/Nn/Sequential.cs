using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>Modules applied one after another; children are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = new();

    /// <summary>Creates the chain.</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var l in layers) Add(l);
    }

    /// <summary>Appends a layer.</summary>
    public Sequential Add(Module layer)
    {
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        foreach (var l in _layers) x = l.Forward(x);
        return x;
    }
}
