using SeqGraph.Autograd;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// <see cref="Parallelism.Use"/> scopes belong to the thread that opens them: tests (and runs)
/// can pick their own thread count while others run at theirs.
/// </summary>
public class ParallelismTests
{
    // Counts no test or CLI run sets process-wide (the CLI's default is the processor count), so
    // a thread outside the scope cannot see them even while the default changes.
    private static readonly int Outer = Environment.ProcessorCount + 3, Inner = Environment.ProcessorCount + 5;

    private static T OnOtherThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error != null) throw new AggregateException(error);
        return result;
    }

    [Fact]
    public void AScopeIsSeenOnlyByItsThreadAndNestedScopesRestore()
    {
        using (Parallelism.Use(Outer))
        {
            Assert.Equal(Outer, Parallelism.Threads);
            Assert.NotEqual(Outer, OnOtherThread(() => Parallelism.Threads));
            using (Parallelism.Use(Inner))
            {
                Assert.Equal(Inner, Parallelism.Threads);
                Assert.NotEqual(Inner, OnOtherThread(() => Parallelism.Threads));
                Assert.Equal(2, OnOtherThread(() =>
                {
                    using (Parallelism.Use(2)) return Parallelism.Threads;
                }));
                Assert.Equal(Inner, Parallelism.Threads);
            }
            Assert.Equal(Outer, Parallelism.Threads);
        }
        Assert.NotEqual(Outer, Parallelism.Threads);
        Assert.NotEqual(Inner, Parallelism.Threads);
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Use(0));
    }

    private sealed record Work(int Observed, int GemmTasks, float[] Gemm, float Loss, List<float[]> Grads);

    private static float[] Random(int count, int seed)
    {
        var rng = new System.Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    // A GEMM large enough to split and an LSTM forward/backward large enough for its time loop
    // to run in parts (50 rows × H 96 over 6 steps), each built afresh on the calling thread.
    private const int M = 300, N = 512, K = 256;

    private static Work RunAt(int threads, Barrier bothInside)
    {
        using (Parallelism.Use(threads)) using (SplitChoice.AlwaysSplit())
        {
            bothInside.SignalAndWait();
            int observed = Parallelism.Threads;
            int tasks = Gemm.TaskCount(M, N, K);
            var c = Random(M * N, 3);
            Gemm.Sgemm(false, true, M, N, K, 1.25f, Random(M * K, 1), K, Random(N * K, 2), K, 0.5f, c, N);

            var rng = new Rng(9);
            var model = new Recurrent(CellType.Lstm, 7, 96, rng);
            var x = Tensor.Uniform(rng, -1f, 1f, 6, 50, 7);
            x.RequiresGrad = true;
            var r = model.Forward(SequenceInput.FromDense(x), null);
            var w = Tensor.Uniform(new Rng(77), -1f, 1f, r.Output.Shape);
            var loss = Ops.Sum(Ops.Mul(r.Output, w));
            loss.Backward();
            var grads = model.Parameters().Append(x).Select(p => p.Grad!.Data.ToArray()).ToList();
            bothInside.SignalAndWait();
            return new Work(observed, tasks, c, loss.Item(), grads);
        }
    }

    [Fact]
    public void ConcurrentRunsAtDifferentCountsEachUseTheirOwnAndAgreeBitForBit()
    {
        using var bothInside = new Barrier(2);
        var workers = new Thread[2];
        var results = new Work?[2];
        var errors = new Exception?[2];
        int[] counts = { 1, 3 };
        for (int i = 0; i < 2; i++)
        {
            int slot = i;
            workers[i] = new Thread(() =>
            {
                try { results[slot] = RunAt(counts[slot], bothInside); }
                catch (Exception e)
                {
                    errors[slot] = e;
                    bothInside.RemoveParticipant();
                }
            });
            workers[i].Start();
        }
        foreach (var t in workers) t.Join();
        foreach (var e in errors)
            if (e != null) throw new AggregateException(e);
        var (a, b) = (results[0]!, results[1]!);

        Assert.Equal(1, a.Observed);
        Assert.Equal(3, b.Observed);
        Assert.Equal(1, a.GemmTasks);
        Assert.Equal(3, b.GemmTasks);
        Assert.Equal(a.Gemm.Select(BitConverter.SingleToInt32Bits), b.Gemm.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(BitConverter.SingleToInt32Bits(a.Loss), BitConverter.SingleToInt32Bits(b.Loss));
        Assert.Equal(a.Grads.Count, b.Grads.Count);
        for (int i = 0; i < a.Grads.Count; i++)
            Assert.Equal(a.Grads[i].Select(BitConverter.SingleToInt32Bits), b.Grads[i].Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ARowLoopUsesNoMoreThreadsThanItIsGivenAndCoversEveryRowOnce()
    {
        // ParallelRange.For hands out 4 parts per thread; the parts must share the given threads, not
        // bring a participant each (8 spinning participants on 2 cores made GCN twice as slow).
        using var scope = Parallelism.Use(2);
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var hits = new int[10_000];
        for (int round = 0; round < 50; round++)
            ParallelRange.For(hits.Length, long.MaxValue, (lo, hi) =>
            {
                threads[Environment.CurrentManagedThreadId] = true;
                for (int i = lo; i < hi; i++) Interlocked.Increment(ref hits[i]);
                Thread.SpinWait(2000);
            });
        Assert.All(hits, h => Assert.Equal(50, h));
        Assert.InRange(threads.Count, 1, 2);
    }
}
