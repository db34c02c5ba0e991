using System.Globalization;
using System.Text;

namespace SeqGraph.Tensors;

/// <summary>
/// A dense float32 tensor: contiguous, row-major, offset zero. <see cref="Data"/> holds exactly
/// <see cref="Size"/> values. Autograd state (gradient, the op that produced it) lives on the
/// tensor itself, as in micrograd: see <c>Tensor.Grad.cs</c>; the tape that fills it is in <c>Autograd/Tape.cs</c>.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>The values, row-major; length equals <see cref="Size"/>.</summary>
    public readonly float[] Data;

    /// <summary>The extent of each axis.</summary>
    public readonly int[] Shape;

    /// <summary>Creates a tensor over existing storage (not copied).</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = ShapeUtil.CheckedSize(shape);
        if (n != data.Length)
            throw new ArgumentException($"data has {data.Length} values but shape [{string.Join(",", shape)}] needs {n}");
        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>The values as a span.</summary>
    public Span<float> Span => Data;

    /// <summary>Extent of axis <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => Shape[ShapeUtil.NormAxis(axis, Rank)];

    // ----- factories -----

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeUtil.CheckedSize(shape)], shape);

    /// <summary>A tensor whose values are not initialised: only for results that overwrite every element.</summary>
    public static Tensor Empty(params int[] shape) => new(GC.AllocateUninitializedArray<float>(ShapeUtil.CheckedSize(shape)), shape);

    /// <summary>All ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Zeros(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A zero-rank tensor holding one value.</summary>
    public static Tensor Scalar(float value) => new(new[] { value });

    /// <summary>Copies values into a new tensor of the given shape.</summary>
    public static Tensor FromArray(float[] values, params int[] shape) => new((float[])values.Clone(), shape);

    /// <summary>A 2-D tensor from a jagged array (rows must have equal length).</summary>
    public static Tensor FromRows(float[][] rows)
    {
        int r = rows.Length, c = r == 0 ? 0 : rows[0].Length;
        var t = Zeros(r, c);
        for (int i = 0; i < r; i++)
        {
            if (rows[i].Length != c) throw new ArgumentException("ragged rows");
            rows[i].CopyTo(t.Data, i * c);
        }
        return t;
    }

    /// <summary>0, 1, …, n−1.</summary>
    public static Tensor Arange(int n)
    {
        var t = Zeros(n);
        for (int i = 0; i < n; i++) t.Data[i] = i;
        return t;
    }

    /// <summary>Uniform in [low, high).</summary>
    public static Tensor Uniform(Random.Rng rng, float low, float high, params int[] shape)
    {
        var t = Zeros(shape);
        rng.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Normal with the given mean and standard deviation.</summary>
    public static Tensor Normal(Random.Rng rng, float mean, float std, params int[] shape)
    {
        var t = Zeros(shape);
        rng.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>A zero tensor of the same shape.</summary>
    public Tensor ZerosLike() => Zeros(Shape);

    /// <summary>A detached copy (same values, no autograd history).</summary>
    public Tensor Clone() => new((float[])Data.Clone(), Shape);

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs one element, tensor has {Size}");
        return Data[0];
    }

    /// <summary>Element access by full index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get => Data[ShapeUtil.Offset(Shape, index)];
        set => Data[ShapeUtil.Offset(Shape, index)] = value;
    }

    /// <summary>True when shapes are equal.</summary>
    public bool SameShape(Tensor other) => Shape.AsSpan().SequenceEqual(other.Shape);

    /// <summary>The shape as "[a, b, c]".</summary>
    public string ShapeString => "[" + string.Join(", ", Shape) + "]";

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeString).Append(' ');
        int n = Math.Min(Size, 16);
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Data[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (Size > n) sb.Append(", …");
        sb.Append(']');
        return sb.ToString();
    }
}
