using System.Collections.Concurrent;
using System.Diagnostics;

namespace SeqGraph.Tensors;

/// <summary>
/// Decides, per call site and size, whether a parallel kernel splits its work over the engine's
/// threads or runs it on the calling thread alone, from how long each way has been taking.
/// </summary>
/// <remarks>
/// On a quiet machine a split is faster. When another process holds a core, a worker shares it
/// and can be descheduled in the middle of its part, and the caller waits a scheduler time slice
/// for it; the worker's own spinning also takes time from the caller. Then one thread is faster,
/// and only measuring shows which. Each site keeps a moving average of its time split and alone,
/// runs the faster way (after 4 counted calls each way, split first: <see cref="WarmUpCalls"/>),
/// and tries the other way now and then (two calls every 32nd call while the two are within 1.5×
/// of each other, every 256th otherwise) so that it follows the machine. A call that changes way
/// is not counted: a site's first call compiles, and the first split after calls alone waits for
/// a sleeping worker to wake. Results do not depend on the split (every kernel that asks computes
/// each output the same way in any part), so the choice changes speed only. Sites are kept for
/// the process's life: one per kernel and size, a few hundred bytes each.
/// </remarks>
internal static class SplitChoice
{
    private static readonly ConcurrentDictionary<(object Site, long Size), Site> Sites = new();

    /// <summary>Calls of one site before it runs its faster way: a benchmark warms up at least this many.</summary>
    public const int WarmUpCalls = 2 * (Site.FirstBooked + 1);

    /// <summary>How many sizes of <paramref name="site"/> are known (tests: one per kernel and size, not one per call).</summary>
    internal static int SizesOf(object site) => Sites.Keys.Count(k => Equals(k.Site, site));

    /// <summary>The decision for one call: whether to split, and where to book its time.</summary>
    public readonly struct Call
    {
        private readonly Site? _site;
        private readonly long _start;

        internal Call(Site? site, bool split, bool book)
        {
            _site = book ? site : null;
            Split = split;
            _start = _site is null ? 0 : Stopwatch.GetTimestamp();
        }

        /// <summary>True: split the work over the threads; false: run it on the calling thread alone.</summary>
        public bool Split { get; }

        /// <summary>Books the call's time (call once the work is done).</summary>
        public void Done() => _site?.Record(Split, Stopwatch.GetTimestamp() - _start);
    }

    /// <summary>
    /// The choice for a call of <paramref name="site"/> (a kernel's identity, e.g. its body's method)
    /// with work of <paramref name="size"/> (anything that tells calls of different cost apart).
    /// </summary>
    public static Call Choose(object site, long size)
    {
        if (t_alwaysSplit) return new Call(null, split: true, book: false);
        var s = Sites.GetOrAdd((site, size), _ => new Site());
        var (split, book) = s.Next();
        return new Call(s, split, book);
    }

    [ThreadStatic] private static bool t_alwaysSplit;

    /// <summary>
    /// Kernels called from this thread always split until the scope is disposed: for tests that
    /// prove results do not depend on the split, which must really split.
    /// </summary>
    internal static AlwaysScope AlwaysSplit()
    {
        var scope = new AlwaysScope(t_alwaysSplit);
        t_alwaysSplit = true;
        return scope;
    }

    /// <summary>Restores the previous choice when disposed.</summary>
    internal readonly struct AlwaysScope(bool previous) : IDisposable
    {
        public void Dispose() => t_alwaysSplit = previous;
    }

    internal sealed class Site
    {
        private double _split = double.NaN, _alone = double.NaN; // moving averages, in ticks
        private int _calls, _splitBooked, _aloneBooked;

        /// <summary>Booked calls of each way before choosing: their plain mean starts the average.</summary>
        internal const int FirstBooked = 4;
        private bool? _previous;  // the way of the last call
        private bool _exploring;  // trying the slower way until one of its calls is booked
        private readonly object _lock = new();

        /// <summary>
        /// Whether this call splits, and whether its time counts: not when it changes way (the
        /// first call of a site compiles; a split after calls alone wakes a sleeping worker).
        /// </summary>
        public (bool Split, bool Book) Next()
        {
            lock (_lock)
            {
                int call = _calls++;
                bool split;
                if (_splitBooked < FirstBooked) split = true;
                else if (_aloneBooked < FirstBooked) split = false;
                else
                {
                    bool splitFaster = _split <= _alone;
                    double ratio = splitFaster ? _alone / _split : _split / _alone;
                    int every = ratio < 1.5 ? 32 : 256;
                    if (call % every == 0) _exploring = true;
                    split = splitFaster != _exploring;
                }
                bool book = _previous == split;
                _previous = split;
                return (split, book);
            }
        }

        public void Record(bool split, long ticks)
        {
            lock (_lock)
            {
                ref double avg = ref split ? ref _split : ref _alone;
                int booked = split ? ++_splitBooked : ++_aloneBooked;
                bool splitFaster = _split <= _alone;
                avg = booked == 1 ? ticks : avg + Math.Max(0.25, 1.0 / booked) * (ticks - avg);
                if (_exploring && split != splitFaster) _exploring = false;
            }
        }
    }
}
