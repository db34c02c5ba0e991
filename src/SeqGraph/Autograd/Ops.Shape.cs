using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

public static partial class Ops
{
    /// <summary>Same values, new shape (one extent may be −1). Shares storage, like a view.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        shape = (int[])shape.Clone();
        int infer = Array.IndexOf(shape, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < shape.Length; i++) if (i != infer) known *= shape[i];
            if (known == 0 || x.Size % known != 0) throw new ArgumentException($"cannot reshape {x.ShapeString} to {ShapeUtil.Str(shape)}");
            shape[infer] = x.Size / known;
        }
        if (ShapeUtil.CheckedSize(shape) != x.Size) throw new ArgumentException($"cannot reshape {x.ShapeString} to {ShapeUtil.Str(shape)}");
        var y = new Tensor(x.Data, shape);
        return Tape.Record(y, g => x.AccumulateGrad(g.Data), x);
    }

    /// <summary>Swaps two axes, copying into a new contiguous tensor.</summary>
    public static Tensor Transpose(Tensor x, int axis0 = -2, int axis1 = -1)
    {
        int a0 = ShapeUtil.NormAxis(axis0, x.Rank), a1 = ShapeUtil.NormAxis(axis1, x.Rank);
        if (a0 == a1) return Reshape(x, x.Shape);
        if (a0 > a1) (a0, a1) = (a1, a0);
        var shape = (int[])x.Shape.Clone();
        (shape[a0], shape[a1]) = (shape[a1], shape[a0]);
        var y = Tensor.Empty(shape);
        SwapAxes(x.Data, y.Data, x.Shape, a0, a1);
        return Tape.Record(y, g =>
        {
            var dx = BufferPool.Rent(x.Size);
            SwapAxes(g.Data, dx, shape, a0, a1);
            x.AccumulateGrad(dx);
            BufferPool.Return(dx);
        }, x);
    }

    // Treats the shape as [outer, n0, mid, n1, inner] and copies to [outer, n1, mid, n0, inner].
    private static void SwapAxes(float[] src, float[] dst, int[] shape, int a0, int a1)
    {
        int outer = 1, mid = 1, inner = 1;
        for (int i = 0; i < a0; i++) outer *= shape[i];
        for (int i = a0 + 1; i < a1; i++) mid *= shape[i];
        for (int i = a1 + 1; i < shape.Length; i++) inner *= shape[i];
        int n0 = shape[a0], n1 = shape[a1];
        for (int o = 0; o < outer; o++)
            for (int i0 = 0; i0 < n0; i0++)
                for (int m = 0; m < mid; m++)
                    for (int i1 = 0; i1 < n1; i1++)
                    {
                        int s = (((o * n0 + i0) * mid + m) * n1 + i1) * inner;
                        int d = (((o * n1 + i1) * mid + m) * n0 + i0) * inner;
                        if (inner == 1) dst[d] = src[s];
                        else Array.Copy(src, s, dst, d, inner);
                    }
    }

    /// <summary>Elements start..start+length−1 along an axis.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.Around(x.Shape, axis);
        if (start < 0 || length < 0 || start + length > n) throw new ArgumentOutOfRangeException(nameof(start), $"slice {start}..{start + length} outside axis of size {n}");
        var shape = (int[])x.Shape.Clone();
        shape[axis] = length;
        var y = Tensor.Empty(shape);
        int block = length * inner;
        for (int o = 0; o < outer; o++) Array.Copy(x.Data, (o * n + start) * inner, y.Data, o * block, block);
        return Tape.Record(y, g =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var d = dx.Slice((o * n + start) * inner, block);
                TensorPrimitives.Add(d, g.Data.AsSpan(o * block, block), d);
            }
        }, x);
    }

    /// <summary>Element <paramref name="index"/> along an axis, which disappears from the shape.</summary>
    public static Tensor Select(Tensor x, int axis, int index)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        var s = Slice(x, axis, index, 1);
        return Reshape(s, ShapeUtil.Reduce(x.Shape, axis, false));
    }

    /// <summary>Joins tensors along an existing axis.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        if (xs.Count == 0) throw new ArgumentException("concat of nothing");
        var first = xs[0];
        axis = ShapeUtil.NormAxis(axis, first.Rank);
        int total = 0;
        foreach (var t in xs)
        {
            if (t.Rank != first.Rank) throw new ArgumentException("concat: ranks differ");
            for (int i = 0; i < t.Rank; i++)
                if (i != axis && t.Shape[i] != first.Shape[i]) throw new ArgumentException($"concat: shapes {first.ShapeString} and {t.ShapeString} differ off axis {axis}");
            total += t.Shape[axis];
        }
        var shape = (int[])first.Shape.Clone();
        shape[axis] = total;
        var y = Tensor.Empty(shape);
        var (outer, _, inner) = ShapeUtil.Around(shape, axis);
        int rowOut = total * inner, at = 0;
        var offsets = new int[xs.Count];
        for (int j = 0; j < xs.Count; j++)
        {
            offsets[j] = at;
            int block = xs[j].Shape[axis] * inner;
            for (int o = 0; o < outer; o++) Array.Copy(xs[j].Data, o * block, y.Data, o * rowOut + at, block);
            at += block;
        }
        var inputs = xs.ToArray();
        return Tape.Record(y, g =>
        {
            for (int j = 0; j < inputs.Length; j++)
            {
                if (!inputs[j].Tracked) continue;
                int block = inputs[j].Shape[axis] * inner;
                var d = inputs[j].GradBuffer();
                for (int o = 0; o < outer; o++)
                {
                    var dd = d.Slice(o * block, block);
                    TensorPrimitives.Add(dd, g.Data.AsSpan(o * rowOut + offsets[j], block), dd);
                }
            }
        }, inputs);
    }

    /// <summary>Joins equally shaped tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, int axis = 0)
    {
        if (xs.Count == 0) throw new ArgumentException("stack of nothing");
        int rank = xs[0].Rank + 1;
        axis = ShapeUtil.NormAxis(axis, rank);
        var expanded = new Tensor[xs.Count];
        for (int i = 0; i < xs.Count; i++)
        {
            if (!xs[i].SameShape(xs[0])) throw new ArgumentException("stack: shapes differ");
            var s = new List<int>(xs[i].Shape);
            s.Insert(axis, 1);
            expanded[i] = Reshape(xs[i], s.ToArray());
        }
        return Concat(expanded, axis);
    }

    /// <summary>Splits along an axis into pieces of the given sizes.</summary>
    public static Tensor[] Split(Tensor x, int axis, params int[] sizes)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        if (sizes.Sum() != x.Shape[axis]) throw new ArgumentException($"split sizes add to {sizes.Sum()}, axis has {x.Shape[axis]}");
        var parts = new Tensor[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Slice(x, axis, at, sizes[i]);
            at += sizes[i];
        }
        return parts;
    }

    /// <summary>Splits along an axis into <paramref name="chunks"/> equal pieces.</summary>
    public static Tensor[] Chunk(Tensor x, int chunks, int axis = -1)
    {
        int n = x.Dim(axis);
        if (chunks <= 0 || n % chunks != 0) throw new ArgumentException($"cannot chunk an axis of {n} into {chunks} equal parts");
        return Split(x, axis, Enumerable.Repeat(n / chunks, chunks).ToArray());
    }

    /// <summary>
    /// Rows of <paramref name="table"/> [V, D] picked by <paramref name="indices"/>; the result has
    /// shape <paramref name="indexShape"/> + [D]. The backward pass scatter-adds into the table.
    /// </summary>
    public static Tensor Gather(Tensor table, ReadOnlySpan<int> indices, params int[] indexShape)
    {
        if (table.Rank != 2) throw new ArgumentException("gather needs a 2-D table");
        int v = table.Shape[0], d = table.Shape[1];
        if (indexShape.Length == 0) indexShape = new[] { indices.Length };
        if (ShapeUtil.CheckedSize(indexShape) != indices.Length) throw new ArgumentException("index shape does not match the number of indices");
        var idx = indices.ToArray();
        var shape = indexShape.Append(d).ToArray();
        var y = Tensor.Empty(shape);
        for (int i = 0; i < idx.Length; i++)
        {
            if ((uint)idx[i] >= (uint)v) throw new ArgumentOutOfRangeException(nameof(indices), $"index {idx[i]} outside 0..{v - 1}");
            Array.Copy(table.Data, idx[i] * d, y.Data, i * d, d);
        }
        return Tape.Record(y, g =>
        {
            var dt = table.GradBuffer();
            for (int i = 0; i < idx.Length; i++)
            {
                var row = dt.Slice(idx[i] * d, d);
                TensorPrimitives.Add(row, g.Data.AsSpan(i * d, d), row);
            }
        }, table);
    }
}
