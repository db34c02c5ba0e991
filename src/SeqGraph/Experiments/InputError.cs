namespace SeqGraph.Experiments;

/// <summary>
/// How a failure is told to the user, the same way by the command line and the dashboard: bad input
/// the library rejected (a setting, a file, a folder) is its own one-line message, without .NET's
/// "(Parameter 'x')" suffix; anything else is a bug.
/// </summary>
public static class InputError
{
    /// <summary>True when <paramref name="e"/> is bad input the library rejected rather than a bug.</summary>
    public static bool Is(Exception e) =>
        e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException or ArgumentException;

    /// <summary>The message of <paramref name="e"/> as the user reads it: without the parameter-name suffix.</summary>
    public static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
}
