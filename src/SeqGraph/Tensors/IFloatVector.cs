namespace SeqGraph.Tensors;

/// <summary>
/// A vector of <see cref="Count"/> floats, for element-wise kernels written once and
/// instantiated per width (<see cref="F32x16"/>, <see cref="F32x8"/>, <see cref="F32x4"/> and the
/// one-lane <see cref="F32x1"/>). The implementations are readonly structs, so the JIT compiles
/// each instantiation separately with every member inlined: the generic loop becomes the loop
/// one would write by hand for that width. (.NET's own <c>ISimdVector</c> is not public for
/// <c>Vector512</c> in this SDK.)
/// </summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs in hardware (a kernel skips a width that would be emulated).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Every lane 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Loads <see cref="Count"/> floats from <paramref name="source"/>[index..] (no bounds check).</summary>
    static abstract TSelf Load(ref float source, nuint index);

    /// <summary>Stores the lanes to <paramref name="destination"/>[index..] (no bounds check).</summary>
    void Store(ref float destination, nuint index);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>
    /// Lane-wise minimum in one instruction: a &lt; b ? a : b on x86 (minps), so a NaN in b comes
    /// back (Arm's fmin returns any NaN); the one-lane struct follows the x86 rule.
    /// </summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>Lane-wise maximum in one instruction: a &gt; b ? a : b on x86 (maxps); see <see cref="Min"/>.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Round to the nearest integer, ties to even.</summary>
    static abstract TSelf Round(TSelf x);

    /// <summary>x·2ⁿ for integral lanes n in [−126, 127] (exact: one rounding at most).</summary>
    static abstract TSelf ScaleByPowerOf2(TSelf x, TSelf n);
}
