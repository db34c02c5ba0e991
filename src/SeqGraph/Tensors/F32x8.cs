using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqGraph.Tensors;

/// <summary>Eight float lanes (<see cref="Vector256{T}"/>) for <see cref="IFloatVector{TSelf}"/> kernels.</summary>
internal readonly struct F32x8 : IFloatVector<F32x8>
{
    private readonly Vector256<float> _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private F32x8(Vector256<float> v) => _v = v;

    public static int Count => 8;
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static F32x8 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => _v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 operator +(F32x8 a, F32x8 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 operator -(F32x8 a, F32x8 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 operator -(F32x8 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 operator *(F32x8 a, F32x8 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 operator /(F32x8 a, F32x8 b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 FusedMultiplyAdd(F32x8 a, F32x8 b, F32x8 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));

    // MinNative/MaxNative are one vminps/vmaxps (Min/Max would add NaN and ±0 fix-ups)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 Min(F32x8 a, F32x8 b) => new(Vector256.MinNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 Max(F32x8 a, F32x8 b) => new(Vector256.MaxNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 Round(F32x8 x) => new(Vector256.Round(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x8 ScaleByPowerOf2(F32x8 x, F32x8 n)
    {
        // 2ⁿ built in the exponent field: (n + 127) << 23
        return new(x._v * ((Vector256.ConvertToInt32(n._v) + Vector256.Create(127)) << 23).AsSingle());
    }
}
