using System.Diagnostics;
using SeqGraph.Cli;

namespace SeqGraph.Fuzz;

/// <summary>
/// Runs a case through the real command tree (<see cref="CliApp.Run"/>) in this process, on its own
/// thread with its console bound to buffers, while the heap is sampled. A case still running at the
/// timeout gets SIGINT (the CLI's own cancellation) and a grace period; one that still does not end
/// is abandoned and reported as a hang, so the harness never waits on it.
/// </summary>
internal static class CaseRunner
{
    /// <summary>Heap growth every case may use, on top of <see cref="BytesPerInputByte"/> × its input.</summary>
    public const long BaseMemoryBound = 64L << 20;

    /// <summary>Heap growth allowed per byte of the case's input files.</summary>
    public const long BytesPerInputByte = 32;

    /// <summary>The timeout of a case whose option asks for more work (it is then stopped by SIGINT, which is what is tested).</summary>
    public static readonly TimeSpan LongRunTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a case has to end after SIGINT.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>True while the harness's own SIGINT is on its way (a SIGINT at any other time is the user's).</summary>
    public static volatile bool Interrupting;

    /// <summary>Runs <paramref name="c"/> and classifies the outcome.</summary>
    public static CaseResult Run(FuzzCase c, TimeSpan timeout)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int? code = null;
        Exception? escaped = null;
        using var done = new ManualResetEventSlim();
        long heap0 = GC.GetTotalMemory(false), peak = heap0, alloc0 = GC.GetTotalAllocatedBytes(false);
        var thread = new Thread(() =>
        {
            CaseConsole.Bind(stdout, stderr);
            try { code = CliApp.Run(c.Args); }
            catch (Exception e) { escaped = e; }
            finally { done.Set(); }
        }, 64 << 20) { IsBackground = true, Name = $"case {c.Index}" };
        var clock = Stopwatch.StartNew();
        thread.Start();
        bool interrupted = false;
        bool Wait(TimeSpan limit)
        {
            var end = clock.Elapsed + limit;
            while (!done.Wait(5))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                // after the timeout, a reader blocked on a FIFO is let go (it sees end of file), so the case can end
                if (interrupted && c.Fifo is { } f) Native.ReleaseFifoReader(f);
                if (clock.Elapsed > end) return false;
            }
            return true;
        }
        if (c.Timeout is { } own && own < timeout) timeout = own;
        bool finished = Wait(c.MayRunLong && timeout > LongRunTimeout ? LongRunTimeout : timeout);
        if (!finished)
        {
            interrupted = true;
            Interrupting = true;
            Native.InterruptSelf();
            finished = Wait(Grace);
            // the CLI's signal handlers run on the thread pool: give them time to run before the next case,
            // so a handler that fails (and takes the process down) is charged to this case
            Thread.Sleep(200);
            Interrupting = false;
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        long peakGrowth = Math.Max(0, peak - heap0), allocated = GC.GetTotalAllocatedBytes(false) - alloc0;
        string err;
        lock (stderr) err = finished ? stderr.ToString() : "";
        var (outcome, why) = Classify(c, finished, interrupted, code, escaped, err, peakGrowth);
        return new CaseResult(c, outcome, finished ? code : null, FirstLine(err, escaped), why, ms, peakGrowth, allocated, err);
    }

    /// <summary>The bound on a case's heap growth.</summary>
    public static long MemoryBound(FuzzCase c) => (c.Args is ["bench", ..] ? BenchMemoryBound : BaseMemoryBound) + BytesPerInputByte * c.InputBytes;

    /// <summary>The base bound of a <c>bench</c> case: a benchmark's workload is fixed, not small (bench rnn's default step holds ~80 MB).</summary>
    public const long BenchMemoryBound = 256L << 20;

    private static (Outcome, string) Classify(FuzzCase c, bool finished, bool interrupted, int? code, Exception? escaped, string err, long peak)
    {
        if (!finished) return c.MayRunLong && c.EndsOnSignal ? (Outcome.Ok, "") : (Outcome.Hang, "no result after the timeout and SIGINT");
        if (interrupted) return c.MayRunLong && code == CliRunner.Interrupted ? (Outcome.Ok, "")
            : (Outcome.Hang, $"still running at the timeout (ended after SIGINT{(c.Fifo is null ? "" : " and the FIFO's release")} with exit {code})");
        if (escaped is not null) return (escaped is OutOfMemoryException ? Outcome.OverMemory : Outcome.InternalError, $"{escaped.GetType().Name} escaped CliApp.Run");
        if (err.Contains("OutOfMemoryException", StringComparison.Ordinal)) return (Outcome.OverMemory, "ran out of memory (heap hard limit)");
        if (peak > MemoryBound(c)) return (Outcome.OverMemory, $"heap grew {peak >> 20} MB, bound {MemoryBound(c) >> 20} MB");
        switch (code)
        {
            case 0: return c.MustReject ? (Outcome.SilentCorruption, "exit 0 on a changed checkpoint") : (Outcome.Ok, "");
            case 3: return (Outcome.Diverged, "");
            case 2: return CheckRejection(c, err);
            default: return (Outcome.InternalError, $"exit {code}");
        }
    }

    /// <summary>A rejection is the line "seqgraph: error: …" (notes and progress before it are fine), alone, naming what was mutated.</summary>
    private static (Outcome, string) CheckRejection(FuzzCase c, string err)
    {
        var lines = err.Replace("\r", "").Split('\n');
        int first = Array.FindIndex(lines, l => l.StartsWith("seqgraph: error: ", StringComparison.Ordinal));
        if (first < 0) return (Outcome.BadMessage, "exit 2 without a \"seqgraph: error:\" line");
        int after = lines.Skip(first + 1).Count(l => l.Trim().Length > 0);
        if (after > 0) return (Outcome.BadMessage, $"the error takes {after + 1} lines");
        if (!c.Names.Any(n => lines[first].Contains(n, StringComparison.Ordinal)))
            return (Outcome.BadMessage, $"the line names none of {string.Join(", ", c.Names.Where(n => !Path.IsPathRooted(n)))}");
        return (Outcome.Rejected, "");
    }

    private static string FirstLine(string err, Exception? escaped)
    {
        if (escaped is not null) return $"{escaped.GetType().Name}: {escaped.Message}";
        var lines = err.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.FirstOrDefault(l => l.StartsWith("seqgraph:", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "";
    }
}
