using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Web;

/// <summary>
/// A run's CSV (its <c>metrics.csv</c>, a graph run's <c>metrics_seed0.csv</c>, a sweep's
/// <c>results.csv</c>, gradients' <c>gradnorms.csv</c>) as JSON for the page:
/// <c>{"file": name, "columns": [...], "rows": [[...], ...], "from": N, "next": M}</c>, one array
/// per row in column order. A cell is a number when it is a finite number, null when empty, and
/// its text otherwise (a model name, "NaN", "inf"). Only complete lines are read — a last line
/// without its line break is one the trainer is still writing and is left for the next read — and
/// rows with the wrong number of cells are skipped. <c>from</c> is how many data rows were skipped
/// at the start, <c>next</c> the number of complete data rows read so far: ask again with
/// <c>?from=next</c> for the rows written since.
/// </summary>
public static class RunMetrics
{
    /// <summary>Largest CSV read, in bytes (a metrics file of a very long run is still far smaller).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The CSV file of run folder <paramref name="folder"/> the page charts when none is named:
    /// <c>metrics.csv</c>, else a sweep's <c>results.csv</c> or gradients' <c>gradnorms.csv</c>, else
    /// (graph runs, one per seed; a sweep before its first trial ends) the first <c>metrics_*.csv</c>
    /// by name; null when there is none yet.
    /// </summary>
    public static string? DefaultFile(string folder)
    {
        if (File.Exists(Path.Combine(folder, RunFolder.MetricsFileName))) return RunFolder.MetricsFileName;
        var names = CsvFiles(folder);
        return names.FirstOrDefault(n => n is "results.csv" or "gradnorms.csv")
            ?? names.FirstOrDefault(n => n.StartsWith("metrics_", StringComparison.Ordinal));
    }

    /// <summary>The names of the CSV files directly in <paramref name="folder"/>, by name.</summary>
    public static List<string> CsvFiles(string folder)
    {
        try
        {
            return new DirectoryInfo(folder).EnumerateFiles("*.csv")
                .Where(f => f.LinkTarget is null && RunPaths.IsPlainName(f.Name))
                .Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>
    /// Reads <paramref name="path"/> as the JSON above, leaving out the first <paramref name="from"/>
    /// data rows. Throws <see cref="IOException"/> when the file cannot be read.
    /// </summary>
    public static JsonObject Read(string path, string file, int from)
    {
        var (columns, lines, _) = ReadLines(path, 0);
        return Json(file, columns, lines, from);
    }

    /// <summary>
    /// The complete lines of <paramref name="path"/> from byte <paramref name="offset"/> on: the
    /// header (when <paramref name="offset"/> is 0), the data lines, and the offset just after the last
    /// complete line, where the next read starts.
    /// </summary>
    public static (string[]? Columns, List<string> Lines, long End) ReadLines(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = Math.Min(stream.Length, offset + MaxBytes);
        if (length <= offset) return (null, [], offset);
        stream.Seek(offset, SeekOrigin.Begin);
        var bytes = new byte[length - offset];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0) break;
            read += n;
        }
        int end = Array.LastIndexOf(bytes, (byte)'\n', read - 1 < 0 ? 0 : read - 1);
        if (read == 0 || end < 0) return (null, [], offset);
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string[]? columns = null;
        if (offset == 0)
        {
            columns = lines[0].Split(',');
            lines.RemoveAt(0);
        }
        return (columns, lines, offset + end + 1);
    }

    /// <summary>The JSON of data lines <paramref name="lines"/> (numbered from <paramref name="first"/>), leaving out those before row <paramref name="from"/>.</summary>
    public static JsonObject Json(string file, string[]? columns, IReadOnlyList<string> lines, int from, int first = 0)
    {
        var rows = new JsonArray();
        int width = columns?.Length ?? -1;
        for (int i = Math.Max(0, from - first); i < lines.Count; i++)
        {
            string[] cells = lines[i].Split(',');
            if (width >= 0 && cells.Length != width) continue;
            rows.Add(new JsonArray(cells.Select(Cell).ToArray()));
        }
        var json = new JsonObject { ["file"] = file };
        if (columns is not null) json["columns"] = new JsonArray(columns.Select(c => (JsonNode?)c).ToArray());
        json["rows"] = rows;
        json["from"] = Math.Max(from, first);
        json["next"] = first + lines.Count;
        return json;
    }

    private static JsonNode? Cell(string text)
    {
        if (text.Length == 0) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) return v;
        return text;
    }
}
