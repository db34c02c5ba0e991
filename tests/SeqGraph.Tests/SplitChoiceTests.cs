using System.Diagnostics;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// A parallel loop splits over the threads only where that has been faster: a part that stalls
/// (a worker descheduled by another process) sends the loop to the calling thread alone, and a
/// split that pays keeps splitting. The parts here sleep instead of computing, so the figures hold
/// on a loaded machine too (sleeping needs no core).
/// </summary>
public class SplitChoiceTests
{
    private const int N = 64;

    [Fact]
    public void ALoopWhoseSplitStallsRunsAloneAndStillCoversEveryRow()
    {
        using var scope = Parallelism.Use(2);
        int whole = 0, calls = 60;
        var hits = new int[N];
        for (int call = 0; call < calls; call++)
            ParallelRange.Run(N, 8, 2, (lo, hi) =>
            {
                for (int i = lo; i < hi; i++) hits[i]++;
                if (lo == 0 && hi == N) Interlocked.Increment(ref whole);
                // the second part stalls 20 ms; the rows alone cost 1 ms, in one call or in parts
                if (lo > 0) Thread.Sleep(20);
                Spin(TimeSpan.FromMilliseconds(hi - lo == N ? 1 : 0.5));
            });
        Assert.All(hits, h => Assert.Equal(calls, h));
        // five calls split (the first not counted), then alone (the split, 20× slower, is tried again
        // only every 256th call)
        Assert.InRange(whole, calls - 8, calls - 5);
    }

    [Fact]
    public void ALoopWhoseSplitPaysKeepsSplitting()
    {
        using var scope = Parallelism.Use(2);
        int whole = 0, calls = 60;
        for (int call = 0; call < calls; call++)
            ParallelRange.Run(N, 8, 2, (lo, hi) =>
            {
                if (lo == 0 && hi == N) Interlocked.Increment(ref whole);
                // 40 ms alone, 20 ms in two parts side by side: long enough that a worker woken a few
                // milliseconds late on a loaded machine still leaves the split clearly faster
                Thread.Sleep(40 * (hi - lo) / N);
            });
        // five calls alone after the first five split, then split (alone is tried again every 256th
        // call, or twice every 32nd should a loaded machine bring the two within 1.5×)
        Assert.InRange(whole, 5, calls / 3);
    }

    [Fact]
    public void AnAlwaysSplitScopeSplitsEveryCallAndRestores()
    {
        using var scope = Parallelism.Use(2);
        int whole = 0;
        Action<int, int> body = (lo, hi) =>
        {
            if (lo == 0 && hi == N) Interlocked.Increment(ref whole);
            if (lo > 0) Thread.Sleep(5);
        };
        using (SplitChoice.AlwaysSplit())
            for (int call = 0; call < 20; call++) ParallelRange.Run(N, 8, 2, body);
        Assert.Equal(0, whole);
        for (int call = 0; call < 20; call++) ParallelRange.Run(N, 8, 2, body);
        Assert.True(whole > 10, $"outside the scope the stalling split should mostly run alone; {whole} of 20 did");
    }

    [Fact]
    public void ASiteIsOneKernelAndSizeNotOneClosure()
    {
        // every call builds a new closure over a new value: still one site, whose choice carries over
        using var scope = Parallelism.Use(2);
        var sums = new long[N];
        var bodies = new List<Action<int, int>>();
        for (int call = 0; call < 30; call++)
        {
            int add = call;
            Action<int, int> body = (lo, hi) =>
            {
                for (int i = lo; i < hi; i++) sums[i] += add;
            };
            bodies.Add(body);
            ParallelRange.Run(N, 8, 2, body);
        }
        Assert.All(sums, s => Assert.Equal(29 * 30 / 2, s));
        Assert.Equal(30, bodies.Distinct().Count());
        Assert.Equal(1, SplitChoice.SizesOf(bodies[0].Method));
        Assert.Equal(1, SplitChoice.SizesOf(bodies[29].Method));
    }

    private static void Spin(TimeSpan time)
    {
        long end = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end) Thread.SpinWait(50);
    }
}
