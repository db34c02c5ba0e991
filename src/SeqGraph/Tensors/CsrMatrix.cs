using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqGraph.Tensors;

/// <summary>
/// A sparse matrix in compressed sparse row form: row r holds the entries
/// <c>ColIndex[RowPtr[r]..RowPtr[r+1]]</c> with <c>Values</c> alongside. Memory is O(rows + nnz).
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Row count.</summary>
    public int Rows { get; }

    /// <summary>Column count.</summary>
    public int Cols { get; }

    /// <summary>Start of each row's entries; length Rows + 1.</summary>
    public int[] RowPtr { get; }

    /// <summary>Column of each entry, ascending within a row.</summary>
    public int[] ColIndex { get; }

    /// <summary>Value of each entry.</summary>
    public float[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int Nnz => ColIndex.Length;

    /// <summary>Wraps CSR arrays after checking them.</summary>
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIndex, float[] values)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException("negative size");
        if (rowPtr.Length != rows + 1 || rowPtr[0] != 0 || rowPtr[rows] != colIndex.Length || values.Length != colIndex.Length)
            throw new ArgumentException("inconsistent CSR arrays");
        for (int r = 0; r < rows; r++)
        {
            if (rowPtr[r + 1] < rowPtr[r]) throw new ArgumentException("row pointers decrease");
            for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++)
                if ((uint)colIndex[e] >= (uint)cols || (e > rowPtr[r] && colIndex[e] <= colIndex[e - 1]))
                    throw new ArgumentException($"row {r}: columns must be in range and strictly ascending");
        }
        (Rows, Cols, RowPtr, ColIndex, Values) = (rows, cols, rowPtr, colIndex, values);
    }

    /// <summary>Builds from (row, col, value) triples; duplicates are summed.</summary>
    public static CsrMatrix FromTriples(int rows, int cols, IEnumerable<(int row, int col, float value)> triples)
    {
        var list = triples.ToList();
        foreach (var (r, c, _) in list)
            if ((uint)r >= (uint)rows || (uint)c >= (uint)cols) throw new ArgumentOutOfRangeException(nameof(triples), $"entry ({r}, {c}) outside {rows}×{cols}");
        list.Sort((x, y) => x.row != y.row ? x.row.CompareTo(y.row) : x.col.CompareTo(y.col));
        var rowPtr = new int[rows + 1];
        var cols2 = new List<int>(list.Count);
        var vals = new List<float>(list.Count);
        int prevRow = -1, prevCol = -1;
        foreach (var (r, c, v) in list)
        {
            if (r == prevRow && c == prevCol)
            {
                vals[^1] += v;
                continue;
            }
            cols2.Add(c);
            vals.Add(v);
            rowPtr[r + 1]++;
            (prevRow, prevCol) = (r, c);
        }
        for (int r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
        return new CsrMatrix(rows, cols, rowPtr, cols2.ToArray(), vals.ToArray());
    }

    /// <summary>The transpose, as a new CSR matrix.</summary>
    public CsrMatrix Transpose()
    {
        var rowPtr = new int[Cols + 1];
        foreach (int c in ColIndex) rowPtr[c + 1]++;
        for (int c = 0; c < Cols; c++) rowPtr[c + 1] += rowPtr[c];
        var next = (int[])rowPtr.Clone();
        var col = new int[Nnz];
        var val = new float[Nnz];
        for (int r = 0; r < Rows; r++)
            for (int e = RowPtr[r]; e < RowPtr[r + 1]; e++)
            {
                int at = next[ColIndex[e]]++;
                col[at] = r;
                val[at] = Values[e];
            }
        return new CsrMatrix(Cols, Rows, rowPtr, col, val);
    }

    /// <summary>
    /// Y = this × X for dense X [Cols, F] (row-major) into the first Rows·F values of
    /// <paramref name="y"/> (overwritten, or added to with <paramref name="accumulate"/>); the
    /// arrays may be longer, e.g. rented from a pool. Rows are split over the engine's threads;
    /// each output row is summed by one thread in a fixed order, so the result is the same for
    /// any thread count.
    /// </summary>
    public void Multiply(float[] x, int f, float[] y, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (f < 0 || x.Length < (long)Cols * f || y.Length < (long)Rows * f) throw new ArgumentException($"SpMM: {Rows}×{Cols} sparse times [{Cols}, {f}] needs x of {(long)Cols * f} and y of {(long)Rows * f} values");
        ParallelRange.For(Rows, (long)Nnz * f, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++) GatherRow(RowPtr[r], RowPtr[r + 1], x, f, y.AsSpan(r * f, f), accumulate);
        });
    }

    /// <summary>
    /// yr (=|+=) Σ_e Values[e]·x[ColIndex[e], :] over entries e0..e1, accumulated in registers
    /// 8 columns at a time (short rows make a library call per entry the dominant cost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GatherRow(int e0, int e1, float[] x, int f, Span<float> yr, bool accumulate)
    {
        var col = ColIndex;
        var val = Values;
        int c = 0;
        if (Vector256.IsHardwareAccelerated && x.Length > 0)
        {
            ref float xs = ref x[0];
            for (; c + 8 <= f; c += 8)
            {
                var acc = accumulate ? Vector256.Create<float>(yr.Slice(c, 8)) : Vector256<float>.Zero;
                for (int e = e0; e < e1; e++)
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(val[e]), Vector256.LoadUnsafe(ref xs, (nuint)(col[e] * f + c)), acc);
                acc.CopyTo(yr.Slice(c, 8));
            }
        }
        for (; c < f; c++)
        {
            float acc = accumulate ? yr[c] : 0f;
            for (int e = e0; e < e1; e++) acc += val[e] * x[col[e] * f + c];
            yr[c] = acc;
        }
    }

    /// <summary>
    /// dW += thisᵀ·G for dense G [Rows, m] and dW [Cols, m]: the scatter of a sparse input's
    /// weight gradient, serial so that every sum has one order (entries that are 0, such as
    /// features zeroed by dropout, are skipped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TransposeMultiplyAdd(float[] g, int m, Span<float> dw)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.Length < (long)Rows * m || dw.Length != (long)Cols * m) throw new ArgumentException("sparse transpose product: size mismatch");
        for (int r = 0; r < Rows; r++)
        {
            var gr = g.AsSpan(r * m, m);
            for (int e = RowPtr[r]; e < RowPtr[r + 1]; e++)
            {
                float v = Values[e];
                if (v == 0f) continue;
                Blas1.Axpy(v, gr, dw.Slice(ColIndex[e] * m, m));
            }
        }
    }

    /// <summary>A dense copy (for small matrices and tests).</summary>
    public Tensor ToDense()
    {
        var t = Tensor.Zeros(Rows, Cols);
        for (int r = 0; r < Rows; r++)
            for (int e = RowPtr[r]; e < RowPtr[r + 1]; e++) t.Data[r * Cols + ColIndex[e]] = Values[e];
        return t;
    }
}
