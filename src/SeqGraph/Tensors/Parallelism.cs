namespace SeqGraph.Tensors;

/// <summary>
/// How many threads the engine's kernels may use. Work is split into a fixed partition that
/// does not depend on this number wherever the split would change rounding, so results are
/// identical for any thread count.
/// </summary>
/// <remarks>
/// <see cref="Threads"/> is the process-wide default. <see cref="Use"/> sets a count for the
/// calling thread only, until the returned scope is disposed: a run, a test or a web request can
/// choose its thread count without changing what other threads see. Kernels read the count on
/// the thread that calls them.
/// </remarks>
public static class Parallelism
{
    private static int _threads = Environment.ProcessorCount;
    [ThreadStatic] private static int t_threads;

    /// <summary>
    /// Threads used by GEMM and other parallel kernels called from this thread: the innermost
    /// <see cref="Use"/> scope's count, else the process-wide default (the processor count unless set).
    /// </summary>
    public static int Threads
    {
        get => t_threads > 0 ? t_threads : _threads;
        set => _threads = value < 1 ? throw new ArgumentOutOfRangeException(nameof(value), "threads must be at least 1") : value;
    }

    /// <summary>Kernels called from this thread use <paramref name="threads"/> threads until the scope is disposed (scopes nest).</summary>
    public static Scope Use(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "threads must be at least 1");
        var scope = new Scope(t_threads);
        t_threads = threads;
        return scope;
    }

    /// <summary>Restores the calling thread's previous thread count when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;

        internal Scope(int previous) => _previous = previous;

        /// <summary>Leaves the scope.</summary>
        public void Dispose() => t_threads = _previous;
    }
}
