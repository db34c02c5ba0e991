using System.Globalization;
using System.Text;
using System.Text.Json;
using SeqGraph.IO;

namespace SeqGraph.Web;

/// <summary>
/// A run's CSV (its <c>metrics.csv</c>, a graph run's <c>metrics_seed0.csv</c>, a sweep's
/// <c>results.csv</c>, gradients' <c>gradnorms.csv</c>) as JSON for the page:
/// <c>{"file": name, "columns": [...], "rows": [[...], ...], "from": N, "next": M}</c>, one array
/// per row in column order, at most <see cref="MaxRows"/> rows an answer (<c>"more": true</c> when
/// rows are left: ask again from <c>next</c>). A cell is a number when it is a finite number, null when empty, and
/// its text otherwise (a model name, "NaN", "inf"). Only complete lines are read — a last line
/// without its line break is one the trainer is still writing and is left for the next read — and
/// rows with the wrong number of cells are skipped. <c>from</c> is how many data rows were skipped
/// at the start, <c>next</c> the number of complete data rows read so far: ask again with
/// <c>?from=next</c> for the rows written since.
/// </summary>
public static class RunMetrics
{
    /// <summary>Most data rows in one answer; ask again from its <c>next</c> for the rest (<c>"more": true</c> says there are).</summary>
    public const int MaxRows = 20_000;

    /// <summary>Longest line kept, in bytes; a longer one is read past and counted as a malformed row.</summary>
    public const int MaxLineBytes = 1024 * 1024;

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
    /// Writes <paramref name="path"/> as the JSON above to <paramref name="writer"/>: the header and at
    /// most <paramref name="maxRows"/> data rows from row <paramref name="from"/> on, plus
    /// <c>"more": true</c> when rows are left (ask again from <c>next</c>). The file is read line by line
    /// and the rows before <paramref name="from"/> are only counted, so memory stays bounded by the page.
    /// Throws <see cref="IOException"/> when the file cannot be read.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, string path, string file, int from, int maxRows = MaxRows, Action<Utf8JsonWriter>? extra = null)
    {
        string[]? columns = null;
        var lines = new List<string>();
        int index = -1;
        bool more = false;
        Scan(path, 0, (bytes, start, length) =>
        {
            if (index < 0) columns = Decode(bytes, start, length).Split(',');
            else if (index >= from)
            {
                if (lines.Count == maxRows) { more = true; return false; }
                lines.Add(Decode(bytes, start, length));
            }
            index++;
            return true;
        });
        // "more" stops the scan on the line after the page, which is not counted; lines holds rows from "from" on.
        WriteJson(writer, file, columns, lines, from, from, Math.Max(index, 0), more, extra);
    }

    /// <summary>
    /// The complete lines of <paramref name="path"/> from byte <paramref name="offset"/> on, at most
    /// <paramref name="maxLines"/> data lines: the header (when <paramref name="offset"/> is 0), the data
    /// lines, the offset just after the last line read, where the next read starts, and whether
    /// complete lines are left after it.
    /// </summary>
    public static (string[]? Columns, List<string> Lines, long End, bool More) ReadLines(string path, long offset, int maxLines = MaxRows)
    {
        string[]? columns = null;
        var lines = new List<string>();
        bool header = offset == 0, more = false;
        long end = Scan(path, offset, (bytes, start, length) =>
        {
            if (header) { columns = Decode(bytes, start, length).Split(','); header = false; return true; }
            if (lines.Count == maxLines) { more = true; return false; }
            lines.Add(Decode(bytes, start, length));
            return true;
        });
        return (columns, lines, end, more);
    }

    /// <summary>
    /// Calls <paramref name="line"/> with each complete line of <paramref name="path"/> from byte
    /// <paramref name="offset"/> on (without its line break; a longer one than <see cref="MaxLineBytes"/>
    /// as empty) until it returns false; returns the offset after the last line it took.
    /// </summary>
    private static long Scan(string path, long offset, Func<byte[], int, int, bool> line)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        if (stream.Length <= offset) return offset;
        stream.Seek(offset, SeekOrigin.Begin);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int filled = 0;           // bytes in buffer
            int lineStart = 0;        // start of the line being read, in buffer
            long bufferOffset = offset;  // file offset of buffer[0]
            long taken = offset;
            bool overlong = false;
            while (true)
            {
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) return taken;
                int scanFrom = filled;
                filled += n;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, filled - scanFrom)) >= 0)
                {
                    int length = newline - lineStart;
                    if (length > 0 && buffer[newline - 1] == (byte)'\r') length--;
                    bool go = line(buffer, lineStart, overlong ? 0 : length);
                    overlong = false;
                    if (!go) return taken;
                    taken = bufferOffset + newline + 1;
                    lineStart = scanFrom = newline + 1;
                }
                // Keep the unfinished line at the buffer's start; grow the buffer for a long one.
                int rest = filled - lineStart;
                if (lineStart == 0 && rest == buffer.Length)
                {
                    if (buffer.Length >= MaxLineBytes) { overlong = true; rest = 0; }
                    else
                    {
                        byte[] bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, rest);
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                else Buffer.BlockCopy(buffer, lineStart, buffer, 0, rest);
                bufferOffset += filled - rest;
                filled = rest;
                lineStart = 0;
            }
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    private static string Decode(byte[] bytes, int start, int length) => Encoding.UTF8.GetString(bytes, start, length);

    /// <summary>
    /// Writes the JSON of data lines <paramref name="lines"/> (numbered from <paramref name="first"/>),
    /// leaving out those before row <paramref name="from"/>; <paramref name="next"/> is the row after
    /// the last one read, <paramref name="more"/> whether rows are left after it.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, string file, string[]? columns, IReadOnlyList<string> lines, int from, int first,
        int next, bool more, Action<Utf8JsonWriter>? extra = null)
    {
        int width = columns?.Length ?? -1;
        writer.WriteStartObject();
        writer.WriteString("file", file);
        if (columns is not null)
        {
            writer.WriteStartArray("columns");
            foreach (string c in columns) writer.WriteStringValue(c);
            writer.WriteEndArray();
        }
        writer.WriteStartArray("rows");
        for (int i = Math.Max(0, from - first); i < lines.Count; i++)
        {
            string[] cells = lines[i].Split(',');
            if (width >= 0 && cells.Length != width) continue;
            writer.WriteStartArray();
            foreach (string cell in cells) WriteCell(writer, cell);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteNumber("from", Math.Max(from, first));
        writer.WriteNumber("next", next);
        if (more) writer.WriteBoolean("more", true);
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    private static void WriteCell(Utf8JsonWriter writer, string text)
    {
        if (text.Length == 0) writer.WriteNullValue();
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) writer.WriteNumberValue(v);
        else writer.WriteStringValue(text);
    }

}
