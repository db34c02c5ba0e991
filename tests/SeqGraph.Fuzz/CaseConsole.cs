using System.Text;

namespace SeqGraph.Fuzz;

/// <summary>
/// Console.Out / Console.Error for the whole harness: each write goes to the writer bound to the
/// current case's thread (an AsyncLocal, so tasks the case starts write there too); writes from
/// anywhere else (a case abandoned after a hang, a worker thread) go nowhere. Installed once, before
/// the command tree is built, so writers captured by the CLI at first use are these.
/// </summary>
internal sealed class CaseConsole : TextWriter
{
    private static readonly AsyncLocal<(TextWriter Out, TextWriter Err)?> Current = new();
    private readonly bool _error;

    private CaseConsole(bool error) => _error = error;

    /// <summary>Installs the two writers as Console.Out and Console.Error, and an empty standard input.</summary>
    public static void Install()
    {
        Console.OutputEncoding = new UTF8Encoding(false);   // so CliApp.Run never sets it (setting it may recreate the writers)
        Console.SetOut(new CaseConsole(false));
        Console.SetError(new CaseConsole(true));
        Console.SetIn(TextReader.Null);
    }

    /// <summary>Sends this thread's (and its tasks') console output to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static void Bind(TextWriter output, TextWriter error) => Current.Value = (output, error);

    private TextWriter Target => Current.Value is { } w ? (_error ? w.Err : w.Out) : Null;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Target.Write(value);

    public override void Write(string? value) => Target.Write(value);

    public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);

    public override void WriteLine(string? value) => Target.WriteLine(value);

    public override void Flush() => Target.Flush();
}
