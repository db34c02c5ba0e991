using System.CommandLine;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Cli;

/// <summary>
/// Runs one experiment for a command: Ctrl-C and SIGTERM become the run's cancellation (the
/// experiment stops after its current step and writes what it has, marked interrupted), the
/// result is printed as one JSON object with <c>--json</c> or by the command's printer, and the
/// exit code is 0, 3 when the run diverged (<see cref="SeqGraph.Experiments.IDivergingResult"/>), or 130 after an interruption.
/// </summary>
public static class CliRunner
{
    /// <summary>The option that lets a run write into a folder that already holds files.</summary>
    public static Option<bool> ForceOption() => new("--force") { Description = "Write into the --out folder even if it already holds a run (that run's files and subfolders are deleted when the new run starts)" };

    /// <summary>
    /// The default run folder: runs/&lt;name&gt;, or runs/&lt;name&gt;-2, -3, … when that exists, so a
    /// default never reuses an earlier run's folder. <paramref name="root"/> is the runs folder
    /// (the dashboard's --runs; the commands' own default is runs/).
    /// </summary>
    public static string DefaultFolder(string name, string root = "runs")
    {
        string dir = Path.Combine(root, name);
        for (int k = 2; Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any(); k++) dir = Path.Combine(root, $"{name}-{k}");
        return dir;
    }

    /// <summary>Exit code of a run that diverged (a NaN or an infinity stopped it; its files are written, the summary marked "diverged").</summary>
    public const int Diverged = 3;

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
        using var stop = new StopSignals(() => Console.Error.WriteLine($"\nseqgraph: {stopping}"));
        TResult result;
        try
        {
            result = run(config, folder, progress, stop.Token);
        }
        finally
        {
            stop.End();
            beforePrint?.Invoke();
        }
        if (json) Console.WriteLine(RunJson.SerializeCompact(result));
        else print(result);
        if (result is SeqGraph.Experiments.IDivergingResult { Diverged: { } d })
        {
            Console.Error.WriteLine($"seqgraph: {d.Message}");
            return Diverged;
        }
        if (!interrupted(result)) return 0;
        Console.Error.WriteLine($"seqgraph: interrupted; {interruptedNote ?? (folder is null ? "nothing was written" : $"the summary in {folder.Path} is marked \"interrupted\": true and covers what finished")}");
        return Interrupted;
    }

    /// <summary>
    /// The run folder for <c>--out</c>, created and checked before anything runs. A folder that
    /// already holds files is refused (one line saying what is there) unless <paramref name="force"/>
    /// (an earlier run in it is then replaced whole once the new run starts writing: see
    /// <see cref="RunFolder.Start"/>) or <paramref name="reuse"/> (a resumed run writing into its own folder).
    /// </summary>
    public static RunFolder Folder(string dir, bool force = false, bool reuse = false)
    {
        if (File.Exists(dir)) throw new UsageException($"--out: {dir} is a file; give a folder for the run");
        // another process writing it: refused at once, before anything is read, written or deleted (the run takes the lock itself)
        if (Directory.Exists(dir) && RunLock.Busy(dir) is { } busy)
            throw new UsageException(reuse && busy.StartsWith("--out ", StringComparison.Ordinal) ? "--resume" + busy["--out".Length..] : busy);   // a resume into its own folder: the option the user gave
        if (!force && !reuse && Directory.Exists(dir))
        {
            var there = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            if (there.Count > 0)
            {
                string list = $"{string.Join(", ", there.Take(4))}{(there.Count > 4 ? ", …" : "")}";
                bool run = there.Contains(RunFolder.ConfigFileName) || there.Contains(RunFolder.SummaryFileName);
                bool text = there.Contains(Checkpoint.SidecarFileName) && TextCheckpointFolder.Describe(dir) == TextCheckpointFolder.TextRun;
                throw new UsageException(run
                    ? $"--out: {dir} already holds a run ({list}); choose another folder, pass --force to replace it{(text ? $", or continue it with --resume {dir}" : "")}"
                    : $"--out: {dir} already holds files ({list}); choose another folder, or pass --force to write into it (they are kept)");
            }
        }
        bool existed = Directory.Exists(dir);
        try
        {
            var folder = RunFolder.Create(dir, replace: force && !reuse);
            if (!existed) lock (Created) Created.Add(Path.GetFullPath(dir));
            return folder;
        }
        catch (IOException e) { throw new UsageException($"--out: {e.Message}"); }
    }

    // Run folders the current command made (the CLI runs one command per process; Program.Run
    // forgets them when the command ends); a command that fails leaves none of them behind empty.
    private static readonly List<string> Created = [];

    /// <summary>Forgets the folders the command made (called when a command ends, whatever its outcome).</summary>
    public static void ForgetCreatedFolders()
    {
        lock (Created) Created.Clear();
    }

    /// <summary>
    /// After a failed command: removes the run folders this process created that are still empty
    /// (a run refused for a bad setting or bad input leaves no empty folder behind). A folder
    /// that holds anything, or that existed before, is kept.
    /// </summary>
    public static void RemoveEmptyCreatedFolders()
    {
        string[] made;
        lock (Created) made = Created.ToArray();
        foreach (var dir in made)
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        ForgetCreatedFolders();
    }
}
