namespace SeqGraph.Tensors;

/// <summary>Shape arithmetic shared by the tensor code.</summary>
public static class ShapeUtil
{
    /// <summary>Product of the extents, checked for negatives and overflow.</summary>
    public static int CheckedSize(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d}");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException("tensor too large");
        }
        return (int)n;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int NormAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for rank {rank}");
        return a;
    }

    /// <summary>Row-major offset of a full index.</summary>
    public static int Offset(int[] shape, int[] index)
    {
        if (index.Length != shape.Length) throw new ArgumentException($"index has {index.Length} axes, tensor has {shape.Length}");
        int off = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new IndexOutOfRangeException($"index {index[i]} out of range for axis {i} of size {shape[i]}");
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /// <summary>Splits a shape around an axis: product before, the axis extent, product after.</summary>
    public static (int outer, int n, int inner) Around(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>The shape with one axis removed (or set to 1 when keepDim).</summary>
    public static int[] Reduce(int[] shape, int axis, bool keepDim)
    {
        if (keepDim)
        {
            var s = (int[])shape.Clone();
            s[axis] = 1;
            return s;
        }
        var r = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++) if (i != axis) r[j++] = shape[i];
        return r;
    }

    /// <summary>"[a, b]" for messages.</summary>
    public static string Str(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
