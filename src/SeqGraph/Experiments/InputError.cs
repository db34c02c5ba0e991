namespace SeqGraph.Experiments;

/// <summary>
/// How a failure is told to the user, the same way by the command line and the dashboard. Bad input
/// is only what our own validation rejected with its own message: a setting
/// (<see cref="ConfigException"/>, naming the option), a file (<see cref="InvalidDataException"/>,
/// naming the path; a missing or unreadable file or folder; an I/O error of the system, which names
/// the path). Anything else — a plain <see cref="ArgumentException"/>, an overflow, an index out of
/// range, running out of memory — is a bug. Either way the message is one line.
/// </summary>
public static class InputError
{
    /// <summary>True when <paramref name="e"/> is bad input our validation rejected rather than a bug.</summary>
    public static bool Is(Exception e) => e switch
    {
        ConfigException or InvalidDataException => true,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException => true,
        // A plain IOException is what we raise (or the system raises) about a named file or folder:
        // disk full, a locked or busy file. Its subclasses that a parser meets (end of stream, a
        // library that fails to load) are bugs: our readers check lengths before they read.
        IOException => e.GetType() == typeof(IOException),
        _ => false,
    };

    /// <summary>
    /// The message of <paramref name="e"/> as the user reads it: one line (see <see cref="OneLine"/>),
    /// without .NET's "(Parameter 'x')" suffix.
    /// </summary>
    public static string Message(Exception e) => OneLine(
        e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message);

    /// <summary>
    /// <paramref name="text"/> on one line: control characters (a line break in a tensor name or a
    /// file name, an escape sequence) and Unicode line separators are written as escapes
    /// (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001B</c>), trailing white space removed.
    /// </summary>
    public static string OneLine(string text) => IO.DisplayText.OneLine(text.TrimEnd());
}
