using SeqGraph.Tensors;

namespace SeqGraph.Data;

/// <summary>
/// The entries of a square CSR matrix grouped by column: column c owns
/// <c>Rows[ColPtr[c]..ColPtr[c+1]]</c>, and <c>Entry</c> gives each one's index in the CSR
/// arrays, so a backward pass can gather per-edge values into the source node without races.
/// </summary>
internal sealed class EdgeTranspose
{
    public required int[] ColPtr { get; init; }
    public required int[] Rows { get; init; }
    public required int[] Entry { get; init; }

    public static EdgeTranspose Of(CsrMatrix m)
    {
        var colPtr = new int[m.Cols + 1];
        foreach (int c in m.ColIndex) colPtr[c + 1]++;
        for (int c = 0; c < m.Cols; c++) colPtr[c + 1] += colPtr[c];
        var next = (int[])colPtr.Clone();
        var rows = new int[m.Nnz];
        var entry = new int[m.Nnz];
        for (int r = 0; r < m.Rows; r++)
            for (int e = m.RowPtr[r]; e < m.RowPtr[r + 1]; e++)
            {
                int at = next[m.ColIndex[e]]++;
                rows[at] = r;
                entry[at] = e;
            }
        return new EdgeTranspose { ColPtr = colPtr, Rows = rows, Entry = entry };
    }
}
