using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>
/// A building block with named parameters and sub-modules, named as in PyTorch
/// (<c>weight</c>, <c>bias</c>, nested <c>layer.weight</c>), with a train/eval mode.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = new();
    private readonly List<(string Name, Module Value)> _children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a parameter: it requires gradients and is named <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name)) throw new ArgumentException($"duplicate name '{name}'");
        value.RequiresGrad = true;
        value.Name = name;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a sub-module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name)) throw new ArgumentException($"duplicate name '{name}'");
        _children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted name, in registration order (own first, then children).</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in _parameters) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedParameters(prefix + n + ".")) yield return item;
    }

    /// <summary>Every parameter.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>Direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Value)> Children() => _children;

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Size);

    /// <summary>Sets training mode here and in every sub-module.</summary>
    public Module Train(bool on = true)
    {
        Training = on;
        foreach (var (_, c) in _children) c.Train(on);
        return this;
    }

    /// <summary>Sets evaluation mode (dropout off).</summary>
    public Module Eval() => Train(false);

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>The parameters by name (the tensors themselves, not copies).</summary>
    public Dictionary<string, Tensor> StateDict() => NamedParameters().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>
    /// Copies values into the parameters by name. Every parameter must be present with its shape;
    /// extra names are an error when <paramref name="strict"/>.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        foreach (var (name, p) in own)
        {
            if (!state.TryGetValue(name, out var v)) throw new InvalidDataException($"missing parameter '{name}'");
            if (!v.SameShape(p)) throw new InvalidDataException($"parameter '{name}' has shape {v.ShapeString}, model expects {p.ShapeString}");
            v.Data.CopyTo(p.Data, 0);
        }
        if (strict)
            foreach (var name in state.Keys)
                if (!own.ContainsKey(name)) throw new InvalidDataException($"unexpected parameter '{name}'");
    }

    /// <summary>Applies the module to one tensor (modules with other inputs define their own Forward).</summary>
    public virtual Tensor Forward(Tensor x) => throw new NotSupportedException($"{GetType().Name} does not take a single tensor input");
}
