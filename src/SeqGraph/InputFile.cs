using System.Runtime.InteropServices;

namespace SeqGraph;

/// <summary>
/// The one check every reader of a user's file makes before opening it: the path names an existing
/// regular file (a link to one is followed). A folder is "<c>&lt;path&gt; is a folder, expected a
/// file</c>", a named pipe, device or socket "<c>&lt;path&gt; is not a regular file (…)</c>" — said
/// without opening it, since opening a FIFO for reading waits for a writer, forever. With an option
/// the message starts with it (<c>--corpus: …</c>) and the error is a <see cref="ConfigException"/>.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// Returns <paramref name="path"/> when it is a regular file; otherwise throws
    /// <see cref="FileNotFoundException"/> (nothing there) or <see cref="InvalidDataException"/> (a folder,
    /// a pipe, a device, a socket), or a <see cref="ConfigException"/> for <paramref name="option"/>.
    /// <paramref name="missing"/> replaces the "no such file" message (it should name the path).
    /// </summary>
    public static string Check(string path, string? option = null, string? missing = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string at = option is null ? "" : $"{option}: ";
        string? problem = Problem(path);
        if (problem is null) return path;
        if (problem == NoSuchFile)
        {
            string text = missing ?? $"{path}: no such file";
            if (option is not null) throw new ConfigException(option, at + text);
            throw new FileNotFoundException(text, path);
        }
        if (option is not null) throw new ConfigException(option, $"{at}{path} {problem}");
        throw new InvalidDataException($"{path} {problem}");
    }

    /// <summary>True when <paramref name="path"/> is an existing regular file (links followed).</summary>
    public static bool IsRegular(string path) => Problem(path) is null;

    /// <summary>
    /// The lines of a UTF-8 text file (a leading byte-order mark dropped, CRLF or LF ends a line),
    /// decoded strictly: a byte sequence that is not UTF-8 is an <see cref="InvalidDataException"/>
    /// "<c>&lt;path&gt;:&lt;line&gt;: not valid UTF-8 (byte 0xFF at offset N)</c>" instead of a
    /// replacement character that silently becomes part of a node's name. Checked with
    /// <see cref="Check"/> first.
    /// </summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        Check(path);
        return Lines(path);
    }

    private static IEnumerable<string> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var line = new List<byte>(256);
        var buffer = new byte[1 << 16];
        long offset = 0, lineStart = 0;
        int lineNo = 0, read;
        bool first = true;
        while ((read = stream.Read(buffer)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                if (b == (byte)'\n')
                {
                    yield return Decode(path, ++lineNo, line, lineStart, ref first);
                    line.Clear();
                    lineStart = offset + i + 1;
                }
                else line.Add(b);
            }
            offset += read;
        }
        if (line.Count > 0) yield return Decode(path, ++lineNo, line, lineStart, ref first);
    }

    private static string Decode(string path, int lineNo, List<byte> bytes, long lineStart, ref bool first)
    {
        var span = CollectionsMarshal.AsSpan(bytes);
        int skip = first && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        first = false;
        span = span[skip..];
        if (span.Length > 0 && span[^1] == (byte)'\r') span = span[..^1];
        var chars = new char[span.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(span, chars, out int consumed, out int written, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
            throw new InvalidDataException($"{path}:{lineNo}: not valid UTF-8 (byte 0x{span[consumed]:X2} at offset {lineStart + skip + consumed})");
        return new string(chars, 0, written);
    }

    private const string NoSuchFile = "no such file";

    // null for a regular file, else what is wrong, worded to follow the path.
    private static string? Problem(string path)
    {
        if (path.Length == 0) return NoSuchFile;
        if (Directory.Exists(path)) return "is a folder, expected a file";
        if (!File.Exists(path)) return NoSuchFile;
        return FileType(path) switch
        {
            null or Regular => null,
            Fifo => "is not a regular file (a named pipe)",
            CharDevice => "is not a regular file (a character device)",
            BlockDevice => "is not a regular file (a block device)",
            Socket => "is not a regular file (a socket)",
            // anything else (a mode misread through the runtime's internal stat): trust the file rather
            // than refuse every file; the folder check above does not depend on it
            _ => null,
        };
    }

    // The S_IFMT bits of the file's mode. .NET's FileSystemInfo reports a pipe, a device and a socket
    // as "Normal" files and strips the type from UnixFileMode, so the type is read with the stat the
    // runtime itself uses (libSystem.Native's SystemNative_Stat, whose FileStatus begins with two
    // int32s: flags, then the mode). Null where that is not available (Windows has none of these
    // file types on a path): the folder check above is then the whole check.
    private static int? FileType(string path)
    {
        if (OperatingSystem.IsWindows() || unavailable) return null;
        var status = new byte[256];
        try
        {
            if (Native.Stat(path, status) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return null;
        }
        return BitConverter.ToInt32(status, 4) & TypeMask;
    }

    private static volatile bool unavailable;
    private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;

    private static class Native
    {
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false)]
        internal static extern int Stat(string path, byte[] status);
    }
}
