using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Web;

/// <summary>
/// The run folders under a runs folder, looked at on every request (the folder is the only
/// state, so runs started by the CLI show up as they are written); what a run's config and summary
/// say is kept until either file changes, so the list of a thousand runs stays fast. A run folder is one holding a
/// <c>config.json</c> or <c>summary.json</c> the commands wrote; other folders are looked into,
/// down to <see cref="RunPaths.MaxDepth"/> levels, so runs grouped in folders are found too.
/// Symbolic links and hidden names are skipped.
/// </summary>
public sealed class RunCatalog(string root, TimeSpan runningWindow)
{
    /// <summary>The runs folder, as a full path.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>File extensions a run's files are served with, and their content types.</summary>
    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".csv"] = "text/csv; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    };

    /// <summary>Every run, newest first (by the newest file it holds), as the run list shows it.</summary>
    public JsonArray List()
    {
        var found = new List<(string Id, string Path, DateTime FolderTime)>();
        Find(Root, "", 1, found);
        var present = found.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (string gone in described.Keys.Where(k => !present.Contains(k)).ToList()) described.TryRemove(gone, out _);
        var now = DateTime.UtcNow;
        var rows = found.Select(f => Describe(f.Id, f.Path, now, f.FolderTime)).OfType<(JsonObject Row, DateTime Modified)>()
            .OrderByDescending(r => r.Modified).ThenBy(r => (string?)r.Row["id"], StringComparer.Ordinal);
        return new JsonArray(rows.Select(r => (JsonNode)r.Row).ToArray());
    }

    /// <summary>One run with its config, summary and files, or null when <paramref name="id"/> is no run folder.</summary>
    public JsonObject? Detail(string id)
    {
        string? folder = RunPaths.RunFolder(Root, id);
        if (folder is null) return null;
        if (Describe(id, folder, DateTime.UtcNow) is not var (row, _)) return null;
        row["config"] = ReadJson(folder, RunFolder.ConfigFileName);
        row["summary"] = ReadJson(folder, RunFolder.SummaryFileName);
        var files = new JsonArray();
        foreach (var file in Files(folder))
            files.Add(new JsonObject { ["name"] = file.Name, ["size"] = file.Length, ["modified"] = file.LastWriteTimeUtc.ToString("O") });
        row["files"] = files;
        return row;
    }

    /// <summary>The path and content type of file <paramref name="name"/> of run <paramref name="id"/>, or null when it is not served.</summary>
    public (string Path, string ContentType)? File(string id, string name)
    {
        string? folder = RunPaths.RunFolder(Root, id);
        if (folder is null || RunDescription.Kind(folder) is null) return null;
        string? path = RunPaths.RunFile(Root, folder, name);
        if (path is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type)) return null;
        return (path, type);
    }

    private static IEnumerable<FileInfo> Files(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => f.LinkTarget is null && RunPaths.IsPlainName(f.Name) && ContentTypes.ContainsKey(f.Extension))
            .OrderBy(f => f.Name, StringComparer.Ordinal);

    private void Find(string dir, string prefix, int depth, List<(string, string, DateTime)> found)
    {
        IEnumerable<DirectoryInfo> subs;
        try { subs = new DirectoryInfo(dir).EnumerateDirectories().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var sub in subs)
        {
            if (IsLink(sub) || !RunPaths.IsPlainName(sub.Name)) continue;
            string id = prefix + sub.Name;
            if (described.ContainsKey(sub.FullName) || System.IO.File.Exists(Path.Combine(sub.FullName, RunFolder.ConfigFileName)) || System.IO.File.Exists(Path.Combine(sub.FullName, RunFolder.SummaryFileName)))
                found.Add((id, sub.FullName, sub.LastWriteTimeUtc));
            else if (depth < RunPaths.MaxDepth)
                Find(sub.FullName, id + "/", depth + 1, found);
        }
    }

    // What the list shows of a run that only its config.json and summary.json decide, kept while
    // neither file changes (same write time and length), so a list of many runs parses no JSON
    // for runs unchanged since the last request; the status is worked out each time. A finished run
    // (it has a summary) whose folder's own write time is unchanged is not listed again file by
    // file: every command starts by probing its folder with a file it creates and deletes, and writes
    // its JSON by renaming, which both change that time; only its config and summary are looked at.
    private sealed record Described((DateTime, long, DateTime, long) Key, string Kind, JsonObject? Summary, JsonObject Settings,
        JsonObject? Figure, DateTime FolderTime, DateTime Modified);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Described> described = new(StringComparer.Ordinal);

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
    }

    private (JsonObject, DateTime)? Describe(string id, string folder, DateTime now, DateTime folderTime = default)
    {
        DateTime modified = DateTime.MinValue;
        var key = (DateTime.MinValue, -1L, DateTime.MinValue, -1L);
        Described? d = null;
        try
        {
            if (folderTime != default && described.TryGetValue(folder, out var known) && known.Summary is not null && known.FolderTime == folderTime)
            {
                var (c, s) = (Stamp(Path.Combine(folder, RunFolder.ConfigFileName)), Stamp(Path.Combine(folder, RunFolder.SummaryFileName)));
                key = (c.Item1, c.Item2, s.Item1, s.Item2);
                if (key == known.Key) (d, modified) = (known, known.Modified);
            }
            if (d is null)
            {
                key = (DateTime.MinValue, -1L, DateTime.MinValue, -1L);
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
                {
                    if (IsLink(file)) continue;
                    if (file.LastWriteTimeUtc > modified) modified = file.LastWriteTimeUtc;
                    if (file.Name == RunFolder.ConfigFileName) key = (file.LastWriteTimeUtc, file.Length, key.Item3, key.Item4);
                    else if (file.Name == RunFolder.SummaryFileName) key = (key.Item1, key.Item2, file.LastWriteTimeUtc, file.Length);
                }
                if (modified == DateTime.MinValue) modified = Directory.GetLastWriteTimeUtc(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        if (d is null)
        {
            if (!described.TryGetValue(folder, out d) || d.Key != key)
            {
                string? kind = RunDescription.Kind(folder);
                if (kind is null) { described.TryRemove(folder, out _); return null; }
                var config = ReadJson(folder, RunFolder.ConfigFileName);
                var summary = ReadJson(folder, RunFolder.SummaryFileName);
                d = new Described(key, kind, summary, RunDescription.Settings(kind, config), RunDescription.Figure(kind, summary), default, default);
            }
            d = d with { FolderTime = folderTime, Modified = modified };
            described[folder] = d;
        }
        var row = new JsonObject
        {
            ["id"] = id,
            ["kind"] = d.Kind,
            // a sweep's own files change only at its start and end: while a process holds it, it runs
            ["status"] = d.Kind == "sweep" && RunLock.Busy(folder) is not null ? "running" : RunDescription.Status(d.Summary, modified, now, runningWindow),
            ["settings"] = d.Settings.DeepClone(),
            ["figure"] = d.Figure?.DeepClone(),
            ["modified"] = modified.ToString("O"),
        };
        return (row, modified);
    }

    // A symbolic link, from the attributes the enumeration already read (no readlink call per entry).
    private static bool IsLink(FileSystemInfo info) => (info.Attributes & FileAttributes.ReparsePoint) != 0;

    // A link (to a file outside the runs folder, say) is not read: it counts as missing.
    private JsonObject? ReadJson(string folder, string name)
    {
        if (RunPaths.RunFile(Root, folder, name) is not { } path) return null;
        try { return JsonNode.Parse(System.IO.File.ReadAllText(path)) as JsonObject; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }
}
