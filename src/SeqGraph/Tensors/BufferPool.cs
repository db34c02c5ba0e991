using System.Collections.Concurrent;

namespace SeqGraph.Tensors;

/// <summary>
/// Reuses float buffers of exactly the same length. Training repeats the same shapes every step,
/// so the fused layers rent their activation caches here instead of allocating (large arrays
/// would otherwise land on the large-object heap every step). Rented buffers are not cleared.
/// </summary>
public static class BufferPool
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Free = new();

    /// <summary>A buffer of exactly <paramref name="length"/> floats (contents undefined).</summary>
    public static float[] Rent(int length)
    {
        if (length == 0) return Array.Empty<float>();
        if (Free.TryGetValue(length, out var bag) && bag.TryTake(out var buf)) return buf;
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Hands a buffer back for reuse; it must not be used afterwards.</summary>
    public static void Return(float[]? buffer)
    {
        if (buffer is null || buffer.Length == 0) return;
        var bag = Free.GetOrAdd(buffer.Length, _ => new ConcurrentBag<float[]>());
        if (bag.Count < 8) bag.Add(buffer);
    }
}
