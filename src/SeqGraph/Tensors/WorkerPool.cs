using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>
/// A small pool of dedicated worker threads for kernels whose tasks take tens of microseconds,
/// where thread-pool dispatch would cost as much as the work. The calling thread participates;
/// idle workers spin briefly before blocking, so back-to-back calls (a recurrent network's
/// steps) wake them without a kernel round trip. A worker that has not picked the job up by the
/// time the caller has run out of tasks is withdrawn instead of waited for (a busy machine may
/// not schedule it for milliseconds). One job at a time: a caller that finds the pool busy runs
/// the job alone.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static Worker[] _workers = Array.Empty<Worker>();
    private static int _pending;

    /// <summary>Runs the job on the calling thread and up to <c>threads − 1</c> workers; returns when all are done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ParallelJob job, int threads)
    {
        // Nested calls (a job's task calling a parallel kernel) run alone: the pool is busy.
        if (threads <= 1 || Monitor.IsEntered(Gate) || !Monitor.TryEnter(Gate))
        {
            job.Execute(0);
            return;
        }
        try
        {
            if (_workers.Length < threads - 1)
            {
                var grown = new Worker[threads - 1];
                Array.Copy(_workers, grown, _workers.Length);
                for (int i = _workers.Length; i < grown.Length; i++) grown[i] = new Worker();
                _workers = grown;
            }
            Volatile.Write(ref _pending, threads - 1);
            for (int t = 1; t < threads; t++) _workers[t - 1].Start(job, t);
            Exception? error = null;
            try { job.Execute(0); }
            catch (Exception e) { error = e; }
            for (int t = 1; t < threads; t++)
                if (_workers[t - 1].Withdraw(job)) Interlocked.Decrement(ref _pending);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            for (int t = 1; t < threads; t++) error ??= _workers[t - 1].TakeError();
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

        /// <summary>Takes back a job the worker has not picked up yet; false if it has.</summary>
        public bool Withdraw(ParallelJob job) => Interlocked.CompareExchange(ref _job, null, job) == job;

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
                if (Interlocked.CompareExchange(ref _job, null, job) != job) continue; // withdrawn
                try { job.Execute(_index); }
                catch (Exception e) { _error = e; }
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
