using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeqGraph.IO;

/// <summary>
/// The one-writer lock of a run folder: an exclusive OS lock on <c>&lt;folder&gt;/.lock</c> (on Linux
/// and macOS .NET takes a non-blocking <c>flock</c> when a file is opened with
/// <see cref="FileShare.None"/>), which the kernel releases when the holding process dies, however
/// it dies. A stale <c>.lock</c> left by a killed process is therefore simply taken by the next
/// writer. The holder names itself (pid, command, start time) in <c>.lock.json</c> beside it, since
/// no .NET process can open a file another one holds this way; the second writer's message is made
/// from it. <c>.lock</c> itself is never deleted: deleting it while another process opens it would
/// let two writers lock two different files of that name.
/// </summary>
/// <remarks>Taken through <see cref="RunFolder.Hold"/> by every experiment that writes a run folder.</remarks>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file in the run folder (hidden: the toolkit's own).</summary>
    public const string FileName = ".lock";

    /// <summary>The holder's record: <c>{"pid": …, "command": "…", "since": "…Z"}</c>.</summary>
    public const string HolderFileName = ".lock.json";

    // how long a take waits for a lock held only for an instant (another process's Busy probe)
    private const int Attempts = 5, PauseMs = 20;

    private readonly FileStream _stream;
    private readonly string _holderPath;
    private bool _disposed;

    private RunLock(FileStream stream, string holderPath) => (_stream, _holderPath) = (stream, holderPath);

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> for this process, naming <paramref name="command"/>
    /// (e.g. <c>text train</c>) as what writes it; held until disposed or until the process ends.
    /// </summary>
    /// <exception cref="ConfigException">Another process (or another run of this one) holds the lock: <c>--out</c>, naming the folder and the holder.</exception>
    /// <exception cref="IOException">The lock file cannot be created.</exception>
    public static RunLock Take(string folder, string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        string path = Path.Combine(folder, FileName);
        for (int attempt = 1; ; attempt++)
        {
            FileStream? stream = TryOpen(path, FileMode.OpenOrCreate, folder);
            if (stream is not null)
            {
                string holder = Path.Combine(folder, HolderFileName);
                var record = new JsonObject
                {
                    ["pid"] = Environment.ProcessId,
                    ["command"] = command,
                    ["since"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                };
                try { AtomicFile.WriteAllText(holder, record.ToJsonString() + "\n"); }
                catch { stream.Dispose(); throw; }
                return new RunLock(stream, holder);
            }
            if (attempt == Attempts) throw new ConfigException("--out", BusyMessage(folder));
            Thread.Sleep(PauseMs);
        }
    }

    /// <summary>
    /// The message a writer of <paramref name="folder"/> would get now because another one holds it,
    /// or null when it is free. Creates nothing: a folder without <c>.lock</c> is free. For a check
    /// before a run starts (the CLI's <c>--out</c>, the dashboard's form); the run itself still takes the lock.
    /// </summary>
    public static string? Busy(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        FileStream? stream;
        try { stream = TryOpen(path, FileMode.Open, folder); }
        catch (IOException) { return null; }   // vanished or unreadable: the run's own take will say
        catch (UnauthorizedAccessException) { return null; }
        if (stream is null) return BusyMessage(folder);
        stream.Dispose();
        return null;
    }

    /// <summary>The lock is open, or null when another holds it.</summary>
    private static FileStream? TryOpen(string path, FileMode mode, string folder)
    {
        try { return new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 1); }
        catch (IOException e) when (IsHeld(e)) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot lock run folder '{folder}': {e.Message}", e);
        }
    }

    // EWOULDBLOCK (Linux 11, macOS 35) from flock; Windows: sharing or lock violation
    private static bool IsHeld(IOException e) =>
        e.GetType() == typeof(IOException) && e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    /// <summary>"--out runs/x: another seqgraph (pid 4242, text train, since 04:31:07 UTC) is writing this run; …"</summary>
    private static string BusyMessage(string folder)
    {
        string who = "another seqgraph";
        try
        {
            if (JsonNode.Parse(File.ReadAllText(Path.Combine(folder, HolderFileName))) is JsonObject o
                && o["pid"] is JsonValue p && p.TryGetValue<int>(out int pid)
                && o["command"] is JsonValue c && c.TryGetValue<string>(out var command)
                && o["since"] is JsonValue s && s.TryGetValue<string>(out var since)
                && DateTime.TryParseExact(since, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                string when = at.ToString(at.Date == DateTime.UtcNow.Date ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                who = $"another seqgraph (pid {pid}, {command.ReplaceLineEndings(" ")}, since {when} UTC)";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException) { }
        return $"--out {Shown(folder)}: {who} is writing this run; wait for it to end or choose another folder";
    }

    /// <summary>The folder as the user probably named it: relative to the working folder when inside it.</summary>
    private static string Shown(string folder)
    {
        string full = Path.GetFullPath(folder);
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    /// <summary>Releases the lock (the holder's record is removed first, while still held).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { File.Delete(_holderPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}
