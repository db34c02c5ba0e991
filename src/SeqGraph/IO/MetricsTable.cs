using System.Globalization;

namespace SeqGraph.IO;

/// <summary>
/// A metrics CSV read back (as written by <see cref="MetricsWriter"/> or a trainer): the header's
/// column names and the rows as numbers, looked up by column name so that a chart or a report does
/// not depend on column order. An empty cell, "NaN" or text that is not a number reads as NaN;
/// "inf" and "-inf" as infinities.
/// </summary>
public sealed class MetricsTable
{
    private readonly Dictionary<string, int> _index;
    private readonly List<double[]> _rows;

    private MetricsTable(string[] columns, List<double[]> rows)
    {
        Columns = columns;
        _index = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        _rows = rows;
    }

    /// <summary>The header, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Reads <paramref name="path"/>; rows with the wrong number of cells (a line cut short by a crash) are skipped.</summary>
    /// <exception cref="InvalidDataException">The file has no header.</exception>
    public static MetricsTable Read(string path)
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty metrics file (no header)");
        var columns = header.Split(',');
        var rows = new List<double[]>();
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            var cells = line.Split(',');
            if (cells.Length != columns.Length) continue;
            rows.Add(cells.Select(Parse).ToArray());
        }
        return new MetricsTable(columns, rows);
    }

    /// <summary>True when the file has column <paramref name="name"/>.</summary>
    public bool Has(string name) => _index.ContainsKey(name);

    /// <summary>Every row's value in column <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such column (the message lists the columns there are).</exception>
    public double[] Column(string name)
    {
        if (!_index.TryGetValue(name, out int i))
            throw new KeyNotFoundException($"metrics have no column '{name}' (columns: {string.Join(", ", Columns)})");
        return _rows.Select(r => r[i]).ToArray();
    }

    /// <summary>
    /// The (x, y) pairs of two columns where y is finite, y scaled by <paramref name="scale"/>
    /// (e.g. nats to bits): a curve for a chart, skipping rows that have no value for y.
    /// </summary>
    public (double[] X, double[] Y) Series(string x, string y, double scale = 1)
    {
        var xs = Column(x);
        var ys = Column(y);
        var keep = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i] * scale).ToArray());
    }

    private static double Parse(string s) => s switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN,
    };
}
