namespace SeqGraph.Tensors;

/// <summary>
/// How many threads the engine's kernels may use. Work is split into a fixed partition that
/// does not depend on this number wherever the split would change rounding, so results are
/// identical for any thread count.
/// </summary>
public static class Parallelism
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Threads used by GEMM and other parallel kernels (default: processor count).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value < 1 ? throw new ArgumentOutOfRangeException(nameof(value), "threads must be at least 1") : value;
    }
}
