using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace OnnxAnchor;

/// <summary>
/// The exported char-LSTM in an ONNX Runtime session, driven the way a competent ORT user would:
/// every input and output is an <see cref="OrtValue"/> over a preallocated managed buffer, bound
/// once through <see cref="OrtIoBinding"/>, so a Run allocates nothing on the managed side and
/// copies no tensors in or out. The graph's interface (fixed by the exporter): inputs
/// <c>tokens</c> int64 [batch, steps], <c>h0</c>, <c>c0</c> float [layers, batch, hidden];
/// outputs <c>logits</c> float [batch, steps, vocabulary], <c>hn</c>, <c>cn</c>.
/// </summary>
internal sealed class OrtCharLstm : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _layers, _hidden, _vocabulary;
    private readonly List<IDisposable> _owned = [];

    // batch-1 stepping: two bindings that ping-pong the state buffers (binding k reads state k and
    // writes state 1 − k), so hn/cn of one step are h0/c0 of the next without a copy
    private readonly long[] _token = new long[1];
    private readonly float[][] _h, _c;
    private readonly float[] _stepLogits;
    private readonly OrtIoBinding[] _step = new OrtIoBinding[2];

    /// <summary>Opens <paramref name="path"/> with the given intra-op thread count (inter-op 1,
    /// sequential execution, all graph optimizations).</summary>
    public OrtCharLstm(string path, int threads, int layers, int hidden, int vocabulary)
    {
        (_layers, _hidden, _vocabulary) = (layers, hidden, vocabulary);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(path, options);
        _h = [new float[layers * hidden], new float[layers * hidden]];
        _c = [new float[layers * hidden], new float[layers * hidden]];
        _stepLogits = new float[vocabulary];
        long[] state = [layers, 1, hidden];
        var token = Own(OrtValue.CreateTensorValueFromMemory(_token, [1, 1]));
        var logits = Own(OrtValue.CreateTensorValueFromMemory(_stepLogits, [1, 1, vocabulary]));
        OrtValue[] h = [Own(OrtValue.CreateTensorValueFromMemory(_h[0], state)), Own(OrtValue.CreateTensorValueFromMemory(_h[1], state))];
        OrtValue[] c = [Own(OrtValue.CreateTensorValueFromMemory(_c[0], state)), Own(OrtValue.CreateTensorValueFromMemory(_c[1], state))];
        for (int k = 0; k < 2; k++)
        {
            var b = Own(_session.CreateIoBinding());
            b.BindInput("tokens", token);
            b.BindInput("h0", h[k]);
            b.BindInput("c0", c[k]);
            b.BindOutput("logits", logits);
            b.BindOutput("hn", h[1 - k]);
            b.BindOutput("cn", c[1 - k]);
            _step[k] = b;
        }
    }

    /// <summary>
    /// Greedy batch-1 generation as <c>TextSampler</c> does it: zero state, feed
    /// <paramref name="prompt"/>, then each arg-max symbol back in, one Run per character (T = 1).
    /// </summary>
    public void Generate(int prompt, Span<int> output)
    {
        Array.Clear(_h[0]);
        Array.Clear(_c[0]);
        int k = 0, pending = prompt;
        for (int i = 0; i < output.Length; i++)
        {
            _token[0] = pending;
            _session.RunWithBinding(_run, _step[k]);
            k ^= 1;
            pending = TensorPrimitives.IndexOfMax(_stepLogits);
            output[i] = pending;
        }
    }

    /// <summary>A batched forward from the zero state: <paramref name="tokens"/> batch-first
    /// [batch, steps], logits written to <paramref name="logits"/> [batch, steps, vocabulary].</summary>
    public BatchForward Batch(long[] tokens, int batch, int steps, float[] logits) => new(this, tokens, batch, steps, logits);

    /// <summary>One bound batched forward; <see cref="Run"/> repeats it.</summary>
    internal sealed class BatchForward : IDisposable
    {
        private readonly OrtCharLstm _m;
        private readonly OrtIoBinding _binding;
        private readonly List<IDisposable> _values = [];

        public BatchForward(OrtCharLstm m, long[] tokens, int batch, int steps, float[] logits)
        {
            _m = m;
            long[] state = [m._layers, batch, m._hidden];
            int n = m._layers * batch * m._hidden;
            _binding = m._session.CreateIoBinding();
            _binding.BindInput("tokens", Value(OrtValue.CreateTensorValueFromMemory(tokens, [batch, steps])));
            _binding.BindInput("h0", Value(OrtValue.CreateTensorValueFromMemory(new float[n], state)));
            _binding.BindInput("c0", Value(OrtValue.CreateTensorValueFromMemory(new float[n], state)));
            _binding.BindOutput("logits", Value(OrtValue.CreateTensorValueFromMemory(logits, [batch, steps, m._vocabulary])));
            _binding.BindOutput("hn", Value(OrtValue.CreateTensorValueFromMemory(new float[n], state)));
            _binding.BindOutput("cn", Value(OrtValue.CreateTensorValueFromMemory(new float[n], state)));
        }

        private OrtValue Value(OrtValue v)
        {
            _values.Add(v);
            return v;
        }

        public void Run() => _m._session.RunWithBinding(_m._run, _binding);

        public void Dispose()
        {
            _binding.Dispose();
            foreach (var v in _values) v.Dispose();
        }
    }

    private T Own<T>(T value) where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
