using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>A unit of parallel work: <see cref="Execute"/> is called once for each task index.</summary>
internal abstract class ParallelJob
{
    /// <summary>Runs task <paramref name="index"/>.</summary>
    public abstract void Execute(int index);
}

/// <summary>
/// A small pool of dedicated worker threads for kernels whose tasks take tens of microseconds,
/// where thread-pool dispatch would cost as much as the work. The calling thread runs task 0;
/// idle workers spin briefly before blocking, so back-to-back calls (a recurrent network's
/// steps) wake them without a kernel round trip. One job at a time: a caller that finds the pool
/// busy runs its tasks itself.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static Worker[] _workers = Array.Empty<Worker>();
    private static int _pending;

    /// <summary>Runs job.Execute(0..tasks−1), on up to <c>tasks</c> threads, and waits for all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ParallelJob job, int tasks)
    {
        if (tasks <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int t = 0; t < tasks; t++) job.Execute(t);
            return;
        }
        try
        {
            if (_workers.Length < tasks - 1)
            {
                var grown = new Worker[tasks - 1];
                Array.Copy(_workers, grown, _workers.Length);
                for (int i = _workers.Length; i < grown.Length; i++) grown[i] = new Worker();
                _workers = grown;
            }
            Volatile.Write(ref _pending, tasks - 1);
            for (int t = 1; t < tasks; t++) _workers[t - 1].Start(job, t);
            Exception? error = null;
            try { job.Execute(0); }
            catch (Exception e) { error = e; }
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            for (int t = 1; t < tasks; t++) error ??= _workers[t - 1].TakeError();
            if (error != null) throw new AggregateException(error);
        }
        finally { Monitor.Exit(Gate); }
    }

    private sealed class Worker
    {
        /// <summary>How long an idle worker polls for the next job before blocking.</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 µs

        private readonly SemaphoreSlim _wake = new(0);
        private ParallelJob? _job;
        private int _index, _sleeping;
        private Exception? _error;

        public Worker()
        {
            new Thread(Loop) { IsBackground = true, Name = "SeqGraph worker" }.Start();
        }

        public void Start(ParallelJob job, int index)
        {
            _index = index;
            Interlocked.Exchange(ref _job, job);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Release();
        }

        public Exception? TakeError()
        {
            var e = _error;
            _error = null;
            return e;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            while (true)
            {
                var job = Volatile.Read(ref _job);
                if (job == null)
                {
                    long start = Stopwatch.GetTimestamp();
                    while ((job = Volatile.Read(ref _job)) == null && Stopwatch.GetTimestamp() - start < SpinTicks)
                        Thread.SpinWait(20);
                }
                if (job == null)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _job) == null) _wake.Wait(); // extra releases only cause a re-check
                    Volatile.Write(ref _sleeping, 0);
                    continue;
                }
                try { job.Execute(_index); }
                catch (Exception e) { _error = e; }
                Volatile.Write(ref _job, null);
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
