namespace SeqGraph.Tensors;

/// <summary>
/// Splits a range of rows into a fixed number of parts and runs them on the <see cref="WorkerPool"/>
/// (spinning workers: for loops whose whole run takes only milliseconds). Each part is a
/// contiguous run of whole units; a part's result must not depend on where the boundaries fall.
/// </summary>
internal static class ParallelRange
{
    [ThreadStatic] private static RangeJob? t_job;

    /// <summary>Below this many multiply-adds a row loop stays on the calling thread.</summary>
    public const long ParallelThreshold = 1 << 15;

    /// <summary>
    /// Runs body(start, end) over rows [0, n) whose total cost is about <paramref name="work"/>
    /// multiply-adds: on the calling thread alone below <see cref="ParallelThreshold"/> or with one
    /// thread, otherwise in 4 parts per thread handed out as threads free up (uneven rows, such as
    /// a graph's high-degree nodes, balance out). The body must give the same result for any
    /// boundaries (e.g. each row computed by one thread).
    /// </summary>
    public static void For(int n, long work, Action<int, int> body)
    {
        int threads = Parallelism.Threads;
        if (threads == 1 || work < ParallelThreshold || n < 2) Run(n, 1, 1, body);
        else Run(n, 1, Math.Min(n, 4 * threads), body);
    }

    /// <summary>Runs body(start, end) over [0, n) in up to <paramref name="parts"/> ranges whose
    /// boundaries are multiples of <paramref name="unit"/>; on the calling thread alone when parts ≤ 1.</summary>
    public static void Run(int n, int unit, int parts, Action<int, int> body)
    {
        int units = (n + unit - 1) / unit;
        parts = Math.Min(parts, units);
        if (parts <= 1)
        {
            if (n > 0) body(0, n);
            return;
        }
        // split, or the whole range in one call when that has been faster here (a busy machine)
        var call = SplitChoice.Choose(body.Method, (long)n << 16 | (uint)parts);
        if (!call.Split)
        {
            body(0, n);
            call.Done();
            return;
        }
        var job = t_job ??= new RangeJob();
        job.Set(n, unit, units, parts, body);
        // at most one participant per engine thread: more parts than threads are handed out dynamically
        try { WorkerPool.Run(job, Math.Min(parts, Parallelism.Threads)); }
        finally { job.Set(0, 1, 0, 0, null); }
        call.Done();
    }

    private sealed class RangeJob : ParallelJob
    {
        private int _n, _unit, _units, _parts, _next;
        private Action<int, int>? _body;

        public void Set(int n, int unit, int units, int parts, Action<int, int>? body)
        {
            (_n, _unit, _units, _parts, _body) = (n, unit, units, parts, body);
            _next = 0;
        }

        public override void Execute(int participant)
        {
            int p;
            while ((p = Interlocked.Increment(ref _next) - 1) < _parts)
            {
                int lo = (int)Math.Min((long)_units * p / _parts * _unit, _n);
                int hi = (int)Math.Min((long)_units * (p + 1) / _parts * _unit, _n);
                if (lo < hi) _body!(lo, hi);
            }
        }
    }
}
