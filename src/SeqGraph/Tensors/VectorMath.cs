using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>
/// Single-precision transcendental functions for the hot element-wise passes, written once over
/// <see cref="IFloatVector{TSelf}"/> so that every width — and the one-lane remainder — computes
/// the same value for the same input. <see cref="System.Runtime.Intrinsics.Vector512.Exp(System.Runtime.Intrinsics.Vector512{float})"/>
/// computes in double precision, which costs about twice as much as the gate pass needs; this
/// one stays in float.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// e^x with a relative error below 3·10⁻⁷ (about 2 ulp) for x in [−87, 88]; inputs outside are clamped there (e^−87 ≈ 1.6e−38,
    /// e^88 ≈ 1.65e38), which keeps σ and tanh built on it exact to float precision at any input.
    /// Method: n = round(x·log₂e), r = x − n·ln 2 in two parts (Cody–Waite), a degree-6 polynomial
    /// for e^r on |r| ≤ ln2/2 evaluated in Estrin's scheme (three short chains instead of one of
    /// six FMAs: the gate passes are latency-bound), and the scale 2ⁿ applied by
    /// <see cref="IFloatVector{TSelf}.ScaleByPowerOf2"/> (vscalefps at 512 bits, the exponent field
    /// elsewhere; both exact here, as n ∈ [−126, 127] and the result is never subnormal).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<V>(V x) where V : struct, IFloatVector<V>
    {
        // the constant first: a NaN input is the second operand and passes through the clamp
        x = V.Min(V.Create(88f), V.Max(V.Create(-87f), x));
        var n = V.Round(x * V.Create(1.44269504088896341f));
        var r = V.FusedMultiplyAdd(n, V.Create(-0.693359375f), x);
        r = V.FusedMultiplyAdd(n, V.Create(2.12194440e-4f), r);
        // e^r ≈ 1 + r + r²·(c2 + c3·r + r²·(c4 + c5·r) + r⁴·(c6 + c7·r))
        var r2 = r * r;
        var hi = V.FusedMultiplyAdd(V.Create(1.9875691500e-4f), r, V.Create(1.3981999507e-3f));
        var mid = V.FusedMultiplyAdd(V.Create(8.3334519073e-3f), r, V.Create(4.1665795894e-2f));
        var lo = V.FusedMultiplyAdd(V.Create(1.6666665459e-1f), r, V.Create(5.0000001201e-1f));
        var q = V.FusedMultiplyAdd(mid, r2, lo);
        q = V.FusedMultiplyAdd(hi, r2 * r2, q);
        var p = V.FusedMultiplyAdd(q, r2, r + V.One);
        return V.ScaleByPowerOf2(p, n);
    }

    /// <summary>σ(x) = 1/(1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x) where V : struct, IFloatVector<V> => V.One / (V.One + Exp(-x));

    /// <summary>tanh(x) = 1 − 2/(e^{2x} + 1), exact at ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<V>(V x) where V : struct, IFloatVector<V>
    {
        var one = V.One;
        return one - (one + one) / (Exp(x + x) + one);
    }
}
