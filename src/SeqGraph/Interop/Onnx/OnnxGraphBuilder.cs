using System.Runtime.InteropServices;
using Google.Protobuf;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.IO;
using SeqGraph.Tensors;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// Builds one ONNX graph (a model's main graph, or the body of a Scan/Loop) from standard
/// operators of the default domain at <see cref="Opset"/>: typed inputs and outputs with fixed or
/// named (dynamic) dimensions, float and int64 initializers, and nodes whose outputs get fresh
/// names. <see cref="Save"/> writes the model atomically.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The opset of the default ONNX domain every exported model imports (ONNX Runtime 1.31 supports it).</summary>
    public const int Opset = 18;

    /// <summary>The IR version that goes with <see cref="Opset"/>.</summary>
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>A graph called <paramref name="name"/>.</summary>
    public OnnxGraphBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _graph = new GraphProto { Name = name };
    }

    /// <summary>The graph built so far (for a subgraph attribute, or to inspect).</summary>
    public GraphProto Graph => _graph;

    /// <summary>Declares a graph input; <paramref name="dims"/> are <see cref="int"/>/<see cref="long"/> sizes or <see cref="string"/> names of dynamic sizes.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares that the value <paramref name="value"/> is the graph output <paramref name="name"/> (an Identity when the names differ).</summary>
    public string Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        if (value != name) Node("Identity", new[] { value }, name);
        _graph.Output.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>A float initializer holding <paramref name="data"/> (row-major) with shape <paramref name="dims"/>.</summary>
    public string Floats(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        CheckSize(data.Length, dims, name);
        return Initializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data), dims);
    }

    /// <summary>A float initializer holding a tensor's values, with its shape or <paramref name="dims"/>.</summary>
    public string Floats(string name, Tensor tensor, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Floats(name, tensor.Data, dims.Length > 0 ? dims : tensor.Shape.Select(d => (long)d).ToArray());
    }

    /// <summary>An int64 initializer (indices, shapes, axes); a scalar when <paramref name="dims"/> is empty and one value is given.</summary>
    public string Int64s(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        if (dims.Length == 0 && data.Length != 1) dims = new long[] { data.Length };
        CheckSize(data.Length, dims, name);
        return Initializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(data), dims);
    }

    /// <summary>A 1-D int64 initializer with a fresh name (for shapes, axes, starts and ends).</summary>
    public string Constant(params long[] values) => Int64s(Fresh("const"), values, values.Length);

    /// <summary>A node with one output, named <paramref name="output"/> or a fresh name; returns the output's name.</summary>
    public string Node(string op, string[] inputs, string? output = null, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, new[] { output ?? Fresh(op.ToLowerInvariant()) }, attributes)[0];

    /// <summary>A node with <paramref name="outputs"/> fresh outputs (an empty name skips an optional output).</summary>
    public string[] Node(string op, string[] inputs, int outputs, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, Enumerable.Range(0, outputs).Select(_ => Fresh(op.ToLowerInvariant())).ToArray(), attributes);

    /// <summary>A node with the given output names; an empty input or output name is an omitted optional one.</summary>
    public string[] Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(op);
        foreach (var o in outputs) if (o.Length > 0) Claim(o);
        var node = new NodeProto { OpType = op, Name = Fresh("node_" + op) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A name not used yet in this graph, starting with <paramref name="prefix"/>.</summary>
    public string Fresh(string prefix)
    {
        string name;
        do name = $"{prefix}_{_counter++}"; while (_names.Contains(name));
        return name;
    }

    /// <summary>The model: this graph, the opset import, producer and documentation, and string metadata.</summary>
    public ModelProto ToModel(string docString, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SeqGraph",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (metadata is not null)
            foreach (var (k, v) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (a temporary file renamed into place).</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, s => model.WriteTo(s));
    }

    // raw little-endian bytes, as ONNX stores initializers (every .NET platform SeqGraph runs on is little-endian)
    private string Initializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw, long[] dims)
    {
        Claim(name);
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        _graph.Initializer.Add(t);
        return name;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_names.Add(name)) throw new ArgumentException($"ONNX graph '{_graph.Name}': the name '{name}' is used twice", nameof(name));
    }

    private static void CheckSize(int length, long[] dims, string name)
    {
        long size = 1;
        foreach (var d in dims) size *= d;
        if (size != length) throw new ArgumentException($"initializer '{name}': {length} values for shape [{string.Join(", ", dims)}]", nameof(dims));
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"'{name}': a dimension must be a size or a name, not {d?.GetType().Name ?? "null"}", nameof(dims)),
            });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(x => (long)x)); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case string[] ss: a.Type = AttributeProto.Types.AttributeType.Strings; a.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            case GraphProto g: a.Type = AttributeProto.Types.AttributeType.Graph; a.G = g; break;
            default: throw new ArgumentException($"attribute '{name}': unsupported value type {value?.GetType().Name ?? "null"}", nameof(value));
        }
        return a;
    }
}
