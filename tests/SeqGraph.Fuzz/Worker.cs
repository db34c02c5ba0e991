using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// Runs cases one after another in this process and writes each result as one JSON line on
/// standard output ("start K" before each, so a supervisor knows which case a dying process was
/// running). After a case abandoned on a hang (its thread still running) the worker exits with
/// <see cref="Abandoned"/>, so nothing left running can slow or disturb the next cases.
/// </summary>
internal static class Worker
{
    /// <summary>Exit code after a case that had to be abandoned.</summary>
    public const int Abandoned = 75;

    /// <summary>The case's own generator: depends only on the seed and the index.</summary>
    public static Rng CaseRng(ulong seed, int index) => new(new Rng(seed).NextUInt64() ^ ((ulong)index * 0x9E3779B97F4A7C15UL));

    /// <summary>Makes case <paramref name="index"/> (of the family it falls on) in its folder under the work folder.</summary>
    public static FuzzCase MakeCase(FuzzOptions o, Baseline b, int index)
    {
        string family = o.Families[index % o.Families.Length];
        var rng = CaseRng(o.Seed, index);
        string dir = Path.Combine(o.Work, $"case-{index}");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        return family switch
        {
            CheckpointFamily.Name => CheckpointFamily.Make(rng, b, dir, index),
            CorpusFamily.Name => CorpusFamily.Make(rng, b, dir, index),
            GraphFamily.Name => GraphFamily.Make(rng, b, dir, index),
            _ => OptionFamily.Make(rng, b, dir, index),
        };
    }

    /// <summary>Installs the console and the SIGINT handler every in-process run needs; returns the handler's registration.</summary>
    public static IDisposable Prepare()
    {
        CaseConsole.Install();
        // The harness's own SIGINT (to stop a case that runs past its timeout) must not end this process.
        return PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => ctx.Cancel = true);
    }

    /// <summary>
    /// Makes the working folder one two levels inside <paramref name="work"/>, so that relative paths in
    /// option values ("../x", a default runs/ folder) land inside the work folder.
    /// </summary>
    public static void EnterSandbox(string work)
    {
        string dir = Path.Combine(work, "sandbox", "cwd");
        Directory.CreateDirectory(dir);
        Directory.SetCurrentDirectory(dir);
    }

    /// <summary>Runs cases from <see cref="FuzzOptions.WorkerFrom"/> to the end; returns the exit code.</summary>
    public static int Run(FuzzOptions o, TextWriter results)
    {
        using var signals = Prepare();
        var b = Baseline.Open(Path.Combine(o.Work, "base"));
        EnterSandbox(o.Work);
        var timeout = TimeSpan.FromSeconds(o.Timeout);
        for (int index = o.WorkerFrom; index < o.Count; index++)
        {
            results.WriteLine($"start {index.ToString(CultureInfo.InvariantCulture)}");
            results.Flush();
            var c = MakeCase(o, b, index);
            var r = CaseRunner.Run(c, timeout);
            if (r.Outcome == Outcome.OverMemory && r.Code is not null && !r.Stderr.Contains("OutOfMemoryException", StringComparison.Ordinal))
            {
                // The heap is sampled with garbage in it (earlier cases', this one's): a growth past the
                // bound counts only if the case, run again from a collected heap, grows past it again.
                GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                r = CaseRunner.Run(MakeCase(o, b, index), timeout);
            }
            results.WriteLine(JsonSerializer.Serialize(r with { Stderr = "" }));
            results.Flush();
            if (r.Code is null) return Abandoned;   // its thread is still running
            if (!o.Keep)
            {
                try { Directory.Delete(Path.Combine(o.Work, $"case-{index}"), true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        return 0;
    }
}
