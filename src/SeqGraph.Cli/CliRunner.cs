using System.Runtime.InteropServices;
using SeqGraph.IO;

namespace SeqGraph.Cli;

/// <summary>
/// Runs one experiment for a command: Ctrl-C and SIGTERM become the run's cancellation (the
/// experiment stops after its current step and writes what it has, marked interrupted), the
/// result is printed as one JSON object with <c>--json</c> or by the command's printer, and the
/// exit code is 0, or 130 after an interruption.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code after an interruption (SIGINT/SIGTERM) that saved the run's files.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Calls <paramref name="run"/> with a cancellation token tied to Ctrl-C/SIGTERM, then prints.
    /// <paramref name="stopping"/> is the line printed on stderr when a stop is requested.
    /// </summary>
    public static int Run<TConfig, TProgress, TResult>(
        Func<TConfig, RunFolder?, IProgress<TProgress>?, CancellationToken, TResult> run,
        TConfig config, RunFolder? folder, IProgress<TProgress>? progress, bool json,
        Action<TResult> print, Func<TResult, bool> interrupted, string stopping = "stopping after this step…",
        Action? beforePrint = null, string? interruptedNote = null)
    {
        using var stop = new CancellationTokenSource();
        void Request()
        {
            if (stop.IsCancellationRequested) return;
            stop.Cancel();
            Console.Error.WriteLine($"\nseqgraph: {stopping}");
        }
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; Request(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; Request(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; Request(); });
        TResult result;
        try
        {
            result = run(config, folder, progress, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            beforePrint?.Invoke();
        }
        if (json) Console.WriteLine(RunJson.SerializeCompact(result));
        else print(result);
        if (!interrupted(result)) return 0;
        Console.Error.WriteLine($"seqgraph: interrupted; {interruptedNote ?? (folder is null ? "nothing was written" : $"the summary in {folder.Path} is marked \"interrupted\": true and covers what finished")}");
        return Interrupted;
    }

    /// <summary>The run folder for <c>--out</c>, created and checked before anything runs.</summary>
    public static RunFolder Folder(string dir)
    {
        try { return RunFolder.Create(dir); }
        catch (IOException e) { throw new UsageException($"--out: {e.Message}"); }
    }
}
