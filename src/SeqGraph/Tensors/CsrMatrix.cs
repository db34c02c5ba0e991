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

    /// <summary>Y = this × X for dense X [Cols, F] (row-major); Y is [Rows, F].</summary>
    public void Multiply(ReadOnlySpan<float> x, int f, Span<float> y, bool accumulate = false)
    {
        if (x.Length != Cols * f || y.Length != Rows * f) throw new ArgumentException("SpMM: size mismatch");
        if (!accumulate) y.Clear();
        for (int r = 0; r < Rows; r++)
        {
            var yr = y.Slice(r * f, f);
            for (int e = RowPtr[r]; e < RowPtr[r + 1]; e++)
                TensorPrimitives.MultiplyAdd(x.Slice(ColIndex[e] * f, f), Values[e], yr, yr);
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
