using SeqGraph.Reporting;

namespace SeqGraph.IO;

/// <summary>
/// The output folder of one run (the CLI's <c>--out</c>): <c>config.json</c> with every
/// setting, <c>metrics.csv</c> streamed row by row, <c>summary.json</c> with the final figures,
/// and SVG plots — the one writer of a run's files (checkpoints go through <see cref="Checkpoint"/>
/// into the same folder). Whole-file writes (JSON, CSV, charts) are atomic: the content goes to a
/// temporary file in the same folder which is then renamed over the target, so a crash never
/// leaves a half-written file. JSON follows <see cref="RunJson"/> (typed records, snake_case keys,
/// NaN and infinities as strings instead of failing the run). A run holds the folder's writer lock
/// (<see cref="RunLock"/>) from its first write until it ends: see <see cref="Hold"/>.
/// </summary>
public sealed class RunFolder
{
    /// <summary>File name of the resolved settings.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>File name of the final figures.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>Default file name of the per-step metrics.</summary>
    public const string MetricsFileName = "metrics.csv";

    private RunFolder(string path, bool replace) => (Path, _replace) = (path, replace);

    // Set when the folder holds an earlier run that this one replaces (--force); cleared by Start.
    private bool _replace;

    // The writer lock while a run holds the folder (Hold), taken by Start; nested holds count.
    private readonly object _gate = new();
    private RunLock? _lock;
    private string? _command;
    private int _holds;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates <paramref name="dir"/> (and missing parents) if needed and checks that a file can
    /// be written in it, so a bad <c>--out</c> fails before any training starts.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message names the path.</exception>
    /// <param name="dir">The folder.</param>
    /// <param name="replace">
    /// The folder may hold an earlier run that this one replaces: if it holds a <c>config.json</c>
    /// or <c>summary.json</c>, <see cref="Start"/> deletes that run's files and subfolders first, so
    /// nothing of it (a seed's model, a sweep's models, a best checkpoint) is mixed with the new run.
    /// A folder without them is written into as it is.
    /// </param>
    public static RunFolder Create(string dir, bool replace = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(dir);
            Directory.CreateDirectory(full);
            string probe = System.IO.Path.Combine(full, $".write-test-{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot use run folder '{dir}': {e.Message}", e);
        }
        bool holdsRun = File.Exists(System.IO.Path.Combine(full, ConfigFileName)) || File.Exists(System.IO.Path.Combine(full, SummaryFileName));
        return new RunFolder(full, replace && holdsRun);
    }

    /// <summary>
    /// Marks the time a run (named <paramref name="command"/>, e.g. <c>text train</c>) writes this
    /// folder, until the result is disposed: its first write (<see cref="Start"/>) takes the folder's
    /// <see cref="RunLock"/>, before an earlier run is deleted or anything written, and disposing
    /// releases it, so runs one after another in one process (the dashboard's queue) each take it.
    /// Holds nest (a resumed run's steps and its training); the outermost one names the command.
    /// Every experiment that writes a run folder holds it; a second writer's first write is refused
    /// with a <see cref="ConfigException"/> naming the holder.
    /// </summary>
    public IDisposable Hold(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        lock (_gate)
        {
            _command ??= command;
            _holds++;
        }
        return new Holding(this);
    }

    private void Release()
    {
        lock (_gate)
        {
            if (--_holds > 0) return;
            _lock?.Dispose();
            (_lock, _command) = (null, null);
        }
    }

    private sealed class Holding(RunFolder folder) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) folder.Release();
        }
    }

    /// <summary>
    /// Called when the run starts writing (by every write, and first by <see cref="WriteConfig"/>,
    /// which every run writes first, after its settings and data were checked, so a run refused for
    /// bad input deletes nothing): inside a <see cref="Hold"/>, takes the writer lock; then, when this
    /// folder replaces an earlier run, deletes that run's entries (hidden ones, starting with '.',
    /// are kept). Deletes nothing after the first call.
    /// </summary>
    /// <exception cref="ConfigException">Another writer holds the folder.</exception>
    public void Start()
    {
        lock (_gate)
            if (_holds > 0 && _lock is null) _lock = RunLock.Take(Path, _command!);
        if (!_replace) return;
        _replace = false;
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path).ToList())
        {
            if (System.IO.Path.GetFileName(entry).StartsWith('.')) continue;
            if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    /// <summary>The full path of <paramref name="fileName"/> inside this folder (a plain file name, no directories).</summary>
    public string PathOf(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (fileName != System.IO.Path.GetFileName(fileName) || fileName is "." or ".."
            || fileName.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || fileName.Contains('/') || fileName.Contains('\\'))
            throw new ArgumentException($"'{fileName}' must be a plain file name inside the run folder", nameof(fileName));
        return System.IO.Path.Combine(Path, fileName);
    }

    /// <summary>Writes <c>config.json</c> from a typed config (atomically, see <see cref="RunJson"/>); returns its path.</summary>
    public string WriteConfig<T>(T config)
    {
        Start();
        return WriteJson(ConfigFileName, config);
    }

    /// <summary>Writes <c>summary.json</c> from a typed result (atomically); returns its path.</summary>
    public string WriteSummary<T>(T summary) => WriteJson(SummaryFileName, summary);

    /// <summary>Writes any value as indented JSON to <paramref name="fileName"/> (atomically); returns its path.</summary>
    public string WriteJson<T>(string fileName, T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string path = PathOf(fileName);
        Start();
        WriteAtomically(path, RunJson.Serialize(value));
        return path;
    }

    /// <summary>Writes a whole text file (CSV, Markdown, SVG) to <paramref name="fileName"/> (atomically); returns its path.</summary>
    public string WriteText(string fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string path = PathOf(fileName);
        Start();
        WriteAtomically(path, content);
        return path;
    }

    /// <summary>True when <paramref name="fileName"/> exists in the folder.</summary>
    public bool Contains(string fileName) => File.Exists(PathOf(fileName));

    /// <summary>Renders <paramref name="chart"/> to <paramref name="fileName"/> (atomically); returns its path.</summary>
    public string SaveChart(string fileName, SvgChart chart, int width = 720, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string path = PathOf(fileName);
        Start();
        WriteAtomically(path, chart.ToSvg(width, height));
        return path;
    }

    /// <summary>
    /// Starts a CSV file with the given header (replacing an existing file of that name); every
    /// <see cref="MetricsWriter.Append"/> writes and flushes one row.
    /// </summary>
    public MetricsWriter OpenMetrics(string fileName, params string[] columns) => OpenMetrics(fileName, columns, null);

    /// <summary>
    /// Starts a CSV file with the given header followed by <paramref name="keptRows"/> (lines of an
    /// earlier file of this run, e.g. those before a resumed checkpoint), replacing the file.
    /// </summary>
    public MetricsWriter OpenMetrics(string fileName, string[] columns, IEnumerable<string>? keptRows)
    {
        string path = PathOf(fileName);
        Start();
        return new(path, columns, keptRows);
    }

    /// <summary>The one place whole files are written: through <see cref="AtomicFile"/> (temporary file, then rename).</summary>
    private static void WriteAtomically(string path, string content) => AtomicFile.WriteAllText(path, content);
}
