using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>Sixteen float lanes (<see cref="Vector512{T}"/>) for <see cref="IFloatVector{TSelf}"/> kernels.</summary>
internal readonly struct F32x16 : IFloatVector<F32x16>
{
    private readonly Vector512<float> _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private F32x16(Vector512<float> v) => _v = v;

    public static int Count => 16;
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    public static F32x16 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => _v.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 operator +(F32x16 a, F32x16 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 operator -(F32x16 a, F32x16 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 operator -(F32x16 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 operator *(F32x16 a, F32x16 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 operator /(F32x16 a, F32x16 b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 FusedMultiplyAdd(F32x16 a, F32x16 b, F32x16 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));

    // MinNative/MaxNative are one vminps/vmaxps (Min/Max would add NaN and ±0 fix-ups)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 Min(F32x16 a, F32x16 b) => new(Vector512.MinNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 Max(F32x16 a, F32x16 b) => new(Vector512.MaxNative(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 Round(F32x16 x) => new(Vector512.Round(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x16 ScaleByPowerOf2(F32x16 x, F32x16 n)
    {
        // vscalefps where AVX-512 has it; otherwise build 2ⁿ in the exponent field
        if (Avx512F.IsSupported) return new(Avx512F.Scale(x._v, n._v));
        return new(x._v * ((Vector512.ConvertToInt32(n._v) + Vector512.Create(127)) << 23).AsSingle());
    }
}
