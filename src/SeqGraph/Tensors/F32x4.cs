using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqGraph.Tensors;

/// <summary>Four float lanes (<see cref="Vector128{T}"/>) for <see cref="IFloatVector{TSelf}"/> kernels.</summary>
internal readonly struct F32x4 : IFloatVector<F32x4>
{
    private readonly Vector128<float> _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private F32x4(Vector128<float> v) => _v = v;

    public static int Count => 4;
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static F32x4 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 Create(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 Load(ref float source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => _v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 operator +(F32x4 a, F32x4 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 operator -(F32x4 a, F32x4 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 operator -(F32x4 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 operator *(F32x4 a, F32x4 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 operator /(F32x4 a, F32x4 b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 FusedMultiplyAdd(F32x4 a, F32x4 b, F32x4 c) => new(Vector128.FusedMultiplyAdd(a._v, b._v, c._v));

    // MinNative/MaxNative are one vminps/vmaxps (Min/Max would add NaN and ±0 fix-ups)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 Min(F32x4 a, F32x4 b) => new(Vector128.MinNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 Max(F32x4 a, F32x4 b) => new(Vector128.MaxNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 Round(F32x4 x) => new(Vector128.Round(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x4 ScaleByPowerOf2(F32x4 x, F32x4 n)
    {
        // 2ⁿ built in the exponent field: (n + 127) << 23
        return new(x._v * ((Vector128.ConvertToInt32(n._v) + Vector128.Create(127)) << 23).AsSingle());
    }
}
