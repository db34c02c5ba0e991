namespace SeqGraph.Tensors;

/// <summary>
/// A unit of parallel work. <see cref="Execute"/> is called by each participating thread (the
/// caller always, a worker only if it starts before the caller is done), so a job should hand
/// out its tasks dynamically and must not rely on every participant running.
/// </summary>
internal abstract class ParallelJob
{
    /// <summary>Runs tasks as participant <paramref name="participant"/> until none are left.</summary>
    public abstract void Execute(int participant);
}
