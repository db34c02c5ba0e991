using System.Text;

namespace SeqGraph.IO;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a temporary file in the target's directory,
/// is flushed to disk, and is then renamed over the target. A reader (or a crash) sees either the
/// old file or the complete new one, never a half-written file. If writing throws, the temporary
/// file is deleted and any existing target is left untouched.
/// </summary>
/// <remarks>
/// The temporary file is named <c>.{name}.{random}.tmp</c> next to the target so that the rename
/// stays within one file system. The containing directory must already exist.
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, s => s.Write(Utf8NoBom.GetBytes(text)));
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes) => Write(path, s => s.Write(bytes.Span));

    /// <summary>
    /// Calls <paramref name="write"/> with a stream onto a temporary file, then flushes it to disk and
    /// renames it to <paramref name="path"/> (replacing an existing file). The stream must not be
    /// disposed by the callback.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: directory does not exist");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
