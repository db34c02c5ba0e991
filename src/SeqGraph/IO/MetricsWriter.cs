using System.Globalization;
using System.Text;

namespace SeqGraph.IO;

/// <summary>
/// Appends rows of numbers to a CSV file with a fixed header. Each row is flushed as soon as it
/// is written, so a crash keeps everything logged so far, and other programs may read the file
/// while the run goes on. Numbers use the invariant culture and the shortest text that reads
/// back to the same double; NaN is written "NaN", infinities "inf" and "-inf", a value not measured
/// (null) as an empty cell (all read by Python, pandas and spreadsheets).
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    private StreamWriter? _writer;
    private readonly StringBuilder _line = new();

    internal MetricsWriter(string path, string[] columns, IEnumerable<string>? keptRows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("metrics need at least one column", nameof(columns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string c in columns)
        {
            if (string.IsNullOrWhiteSpace(c) || c.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0)
                throw new ArgumentException($"metrics column name '{c}' must be non-empty without commas, quotes or line breaks", nameof(columns));
            if (!seen.Add(c)) throw new ArgumentException($"metrics column '{c}' appears twice", nameof(columns));
        }
        Path = path;
        Columns = (string[])columns.Clone();
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        _writer.WriteLine(string.Join(',', Columns));
        foreach (var row in keptRows ?? Array.Empty<string>())
        {
            _writer.WriteLine(row);
            RowCount++;
        }
        _writer.Flush();
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>The header, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows written so far (the header not counted).</summary>
    public int RowCount { get; private set; }

    /// <summary>Writes and flushes one row; <paramref name="values"/> must match the columns one to one.</summary>
    /// <exception cref="ArgumentException">Wrong number of values (nothing is written).</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Append(params double[] values)
    {
        ObjectDisposedException.ThrowIf(_writer is null, this);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
            throw new ArgumentException(
                $"{System.IO.Path.GetFileName(Path)} has {Columns.Count} columns ({string.Join(",", Columns)}) but got {values.Length} values",
                nameof(values));
        _line.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) _line.Append(',');
            _line.Append(Format(values[i]));
        }
        _writer.WriteLine(_line);
        _writer.Flush();
        RowCount++;
    }

    /// <summary>Writes and flushes one row in which a null value (a figure not measured at this row) is an empty cell.</summary>
    /// <exception cref="ArgumentException">Wrong number of values (nothing is written).</exception>
    public void AppendRow(params double?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_writer is null, this);
        if (values.Length != Columns.Count)
            throw new ArgumentException(
                $"{System.IO.Path.GetFileName(Path)} has {Columns.Count} columns ({string.Join(",", Columns)}) but got {values.Length} values",
                nameof(values));
        _writer.WriteLine(string.Join(',', values.Select(v => v is { } x ? Format(x) : "")));
        _writer.Flush();
        RowCount++;
    }

    /// <summary>The CSV text for one value.</summary>
    public static string Format(double v) =>
        double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "inf"
        : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Flushes and closes the file. Safe to call more than once.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
