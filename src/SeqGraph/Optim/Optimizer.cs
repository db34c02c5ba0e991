using System.Runtime.CompilerServices;
using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// Base class of the optimizers, mirroring <c>torch.optim.Optimizer</c> with a single parameter
/// group. Call <see cref="Step"/> after the backward pass; parameters whose <see cref="Tensor.Grad"/>
/// is null are skipped entirely (no update, no state created, their update counter unchanged),
/// as PyTorch does.
/// </summary>
/// <remarks>
/// <para>Per-parameter state lives in named float buffers (<c>exp_avg</c>, <c>momentum_buffer</c>, …)
/// created lazily on a parameter's first update, plus a per-parameter update counter: as in PyTorch,
/// a parameter that missed some steps has its own, smaller count (this matters for Adam's bias
/// correction).</para>
/// <para><b>Resuming bit-identically.</b> Save <see cref="ExportState"/> together with the parameter
/// values (and any scheduler state, e.g. <see cref="StepLr.ExportState"/>). To resume, construct the
/// same optimizer type with the same hyperparameters over parameters in the same order, copy the
/// parameter values in, then call <see cref="LoadState"/>. The snapshot holds every quantity an
/// update reads (buffers as exact float32 copies, integer counters, the float32 learning rate), and
/// the updates are deterministic element-wise span operations, so the continued run produces the
/// same bits as an uninterrupted one.</para>
/// <para>Parameter groups (different hyperparameters per parameter subset) are not supported: use
/// one optimizer per group.</para>
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Update loops work on slices of this many elements so scratch space fits on the stack and in L1.</summary>
    protected const int ChunkSize = 1024;

    private readonly Tensor[] _params;
    private readonly string[] _bufferNames;
    private readonly float[]?[][] _buffers; // [buffer kind][parameter index]
    private readonly long[] _paramSteps;
    private float _learningRate;

    /// <summary>
    /// Sets up the optimizer over <paramref name="parameters"/> (at least one, no duplicates).
    /// <paramref name="bufferNames"/> lists the per-parameter state buffers a subclass may use,
    /// indexed by position in <see cref="Buffer"/> and <see cref="HasBuffer"/>.
    /// </summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate, params string[] bufferNames)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _params = parameters.ToArray();
        if (_params.Length == 0) throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _params.Length; i++)
        {
            if (_params[i] is null) throw new ArgumentException($"parameter {i} is null", nameof(parameters));
            if (!seen.Add(_params[i])) throw new ArgumentException($"parameter {i} appears more than once", nameof(parameters));
        }
        LearningRate = learningRate;
        _bufferNames = (string[])bufferNames.Clone();
        foreach (var b in _bufferNames)
            if (b.Contains('.')) throw new ArgumentException($"buffer name '{b}' must not contain '.'", nameof(bufferNames));
        _buffers = new float[]?[_bufferNames.Length][];
        for (int k = 0; k < _buffers.Length; k++) _buffers[k] = new float[]?[_params.Length];
        _paramSteps = new long[_params.Length];
    }

    /// <summary>The parameters, in construction order.</summary>
    public IReadOnlyList<Tensor> Parameters => _params;

    /// <summary>The learning rate used by the next <see cref="Step"/> (schedulers set it). Must be finite and ≥ 0.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!float.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), $"invalid learning rate {value}");
            _learningRate = value;
        }
    }

    /// <summary>How many times <see cref="Step"/> has been called (whether or not any gradient was present).</summary>
    public long StepCount { get; private set; }

    /// <summary>How many updates parameter <paramref name="index"/> has received (steps where its gradient was not null).</summary>
    public long ParameterStepCount(int index) => _paramSteps[index];

    /// <summary>
    /// Updates every parameter that has a gradient, then increments <see cref="StepCount"/>.
    /// Throws before changing anything if a gradient's shape differs from its parameter's.
    /// </summary>
    public void Step()
    {
        for (int i = 0; i < _params.Length; i++)
        {
            var g = _params[i].Grad;
            if (g is not null && !g.SameShape(_params[i]))
                throw new InvalidOperationException($"parameter {i}{NameSuffix(_params[i])} has shape {_params[i].ShapeString} but its gradient has shape {g.ShapeString}");
        }
        for (int i = 0; i < _params.Length; i++)
        {
            var g = _params[i].Grad;
            if (g is null) continue;
            _paramSteps[i]++;
            Update(i, _params[i].Data, g.Data, _paramSteps[i]);
        }
        StepCount++;
    }

    /// <summary>Sets every parameter's gradient to null (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _params) p.Grad = null;
    }

    /// <summary>
    /// Applies one update to parameter <paramref name="index"/>. <paramref name="step"/> is that
    /// parameter's update count including this one (1 on its first update). Implementations must
    /// not modify <paramref name="grad"/> nor allocate per element.
    /// </summary>
    protected abstract void Update(int index, Span<float> param, ReadOnlySpan<float> grad, long step);

    /// <summary>
    /// True when buffer <paramref name="kind"/> is part of the state under the current hyperparameters
    /// (e.g. SGD's momentum buffer only when momentum ≠ 0). Every used buffer exists exactly for the
    /// parameters that have been updated at least once.
    /// </summary>
    protected abstract bool UsesBuffer(int kind);

    /// <summary>True when buffer <paramref name="kind"/> of parameter <paramref name="index"/> exists.</summary>
    protected bool HasBuffer(int kind, int index) => _buffers[kind][index] is not null;

    /// <summary>Buffer <paramref name="kind"/> of parameter <paramref name="index"/>, created zero-filled on first use.</summary>
    protected float[] Buffer(int kind, int index) => _buffers[kind][index] ??= new float[_params[index].Size];

    /// <summary>
    /// A copy of the state, keyed by <paramref name="paramNames"/> (one unique name per parameter, in
    /// construction order, e.g. <c>module.NamedParameters().Select(p =&gt; p.Name).ToList()</c>).
    /// See <see cref="OptimizerState"/> for the keys.
    /// </summary>
    public OptimizerState ExportState(IReadOnlyList<string> paramNames)
    {
        CheckNames(paramNames);
        var tensors = new Dictionary<string, Tensor>();
        for (int k = 0; k < _bufferNames.Length; k++)
            for (int i = 0; i < _params.Length; i++)
                if (_buffers[k][i] is { } buf)
                    tensors[_bufferNames[k] + "." + paramNames[i]] = new Tensor((float[])buf.Clone(), _params[i].Shape);
        var scalars = new Dictionary<string, double>
        {
            [OptimizerState.StepCountKey] = StepCount,
            [OptimizerState.LearningRateKey] = LearningRate,
        };
        for (int i = 0; i < _params.Length; i++)
            if (_paramSteps[i] > 0) scalars[OptimizerState.ParamStepPrefix + paramNames[i]] = _paramSteps[i];
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces the whole state (buffers, counters, learning rate) with a copy of
    /// <paramref name="state"/>, whose keys use <paramref name="paramNames"/> as in
    /// <see cref="ExportState"/>. The state is validated completely before anything changes:
    /// unknown keys, buffers this configuration does not use, shape mismatches, non-integer
    /// counters and buffers missing for an updated parameter (or present for one never updated)
    /// throw <see cref="InvalidDataException"/> naming the offending entry.
    /// </summary>
    public void LoadState(OptimizerState state, IReadOnlyList<string> paramNames)
    {
        ArgumentNullException.ThrowIfNull(state);
        CheckNames(paramNames);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < paramNames.Count; i++) index[paramNames[i]] = i;

        long stepCount = -1;
        float lr = float.NaN;
        var steps = new long[_params.Length];
        foreach (var (key, value) in state.Scalars)
        {
            if (key == OptimizerState.StepCountKey) stepCount = ToCounter(key, value);
            else if (key == OptimizerState.LearningRateKey)
            {
                lr = (float)value;
                if (!float.IsFinite(lr) || lr < 0 || lr != value) throw new InvalidDataException($"optimizer state '{key}' = {value} is not a valid float32 learning rate");
            }
            else if (key.StartsWith(OptimizerState.ParamStepPrefix, StringComparison.Ordinal)
                     && index.TryGetValue(key[OptimizerState.ParamStepPrefix.Length..], out int pi))
            {
                steps[pi] = ToCounter(key, value);
            }
            else throw new InvalidDataException($"unexpected optimizer state scalar '{key}'");
        }
        if (stepCount < 0) throw new InvalidDataException($"optimizer state lacks '{OptimizerState.StepCountKey}'");
        if (float.IsNaN(lr)) throw new InvalidDataException($"optimizer state lacks '{OptimizerState.LearningRateKey}'");

        var buffers = new float[]?[_bufferNames.Length][];
        for (int k = 0; k < buffers.Length; k++) buffers[k] = new float[]?[_params.Length];
        foreach (var (key, t) in state.Tensors)
        {
            int dot = key.IndexOf('.');
            int kind = dot < 0 ? -1 : Array.IndexOf(_bufferNames, key[..dot]);
            if (kind < 0) throw new InvalidDataException($"unexpected optimizer state tensor '{key}' (known buffers: {string.Join(", ", _bufferNames)})");
            if (!UsesBuffer(kind)) throw new InvalidDataException($"optimizer state tensor '{key}' is not used by this {GetType().Name} configuration");
            if (!index.TryGetValue(key[(dot + 1)..], out int pi)) throw new InvalidDataException($"optimizer state tensor '{key}' names no parameter of this optimizer");
            if (t is null) throw new InvalidDataException($"optimizer state tensor '{key}' is null");
            if (!t.SameShape(_params[pi]))
                throw new InvalidDataException($"optimizer state tensor '{key}' has shape {t.ShapeString} but parameter '{paramNames[pi]}' has shape {_params[pi].ShapeString}");
            buffers[kind][pi] = (float[])t.Data.Clone();
        }
        for (int i = 0; i < _params.Length; i++)
            for (int k = 0; k < _bufferNames.Length; k++)
            {
                if (!UsesBuffer(k)) continue;
                bool has = buffers[k][i] is not null;
                if (has != steps[i] > 0)
                    throw new InvalidDataException(has
                        ? $"optimizer state has '{_bufferNames[k]}.{paramNames[i]}' but no '{OptimizerState.ParamStepPrefix}{paramNames[i]}' counter"
                        : $"optimizer state lacks '{_bufferNames[k]}.{paramNames[i]}' although '{paramNames[i]}' has been updated {steps[i]} times");
            }

        for (int k = 0; k < buffers.Length; k++) Array.Copy(buffers[k], _buffers[k], _params.Length);
        Array.Copy(steps, _paramSteps, _params.Length);
        StepCount = stepCount;
        LearningRate = lr;
    }

    private void CheckNames(IReadOnlyList<string> paramNames)
    {
        ArgumentNullException.ThrowIfNull(paramNames);
        if (paramNames.Count != _params.Length)
            throw new ArgumentException($"got {paramNames.Count} parameter names for {_params.Length} parameters", nameof(paramNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in paramNames)
        {
            if (string.IsNullOrEmpty(n)) throw new ArgumentException("parameter names must be non-empty", nameof(paramNames));
            if (!seen.Add(n)) throw new ArgumentException($"duplicate parameter name '{n}'", nameof(paramNames));
        }
    }

    private static long ToCounter(string key, double value)
    {
        if (!(value >= 0 && value <= 9007199254740992.0 && Math.Floor(value) == value))
            throw new InvalidDataException($"optimizer state '{key}' = {value} is not a non-negative integer");
        return (long)value;
    }

    private static string NameSuffix(Tensor p) => p.Name is null ? "" : $" ('{p.Name}')";

    /// <summary>Returns <paramref name="value"/>; throws unless it is finite and ≥ 0 (hyperparameter validation).</summary>
    protected static double NonNegative(double value, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(name, $"invalid {name} {value}");
        return value;
    }

    /// <summary>
    /// The gradient the update uses: <paramref name="dest"/> ← <paramref name="grad"/> + wd·θ
    /// (PyTorch's L2 weight decay), a plain copy of the gradient when <paramref name="weightDecay"/> is 0.
    /// </summary>
    protected static void GradientWithL2(ReadOnlySpan<float> param, float weightDecay, ReadOnlySpan<float> grad, Span<float> dest)
    {
        if (weightDecay != 0) TensorPrimitives.MultiplyAdd(param, weightDecay, grad, dest);
        else grad.CopyTo(dest);
    }
}
