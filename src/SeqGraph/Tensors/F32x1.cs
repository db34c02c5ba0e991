using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>
/// One float lane for <see cref="IFloatVector{TSelf}"/> kernels: their remainder loop is the same
/// generic code at width 1, so the scalar tail computes exactly what a vector lane would (same
/// polynomial, same fused multiply-adds, same IEEE division).
/// </summary>
internal readonly struct F32x1 : IFloatVector<F32x1>
{
    private readonly float _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private F32x1(float v) => _v = v;

    public static int Count => 1;
    public static bool IsHardwareAccelerated => true;
    public static F32x1 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 Create(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 Load(ref float source, nuint index) => new(Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => Unsafe.Add(ref destination, index) = _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 operator +(F32x1 a, F32x1 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 operator -(F32x1 a, F32x1 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 operator -(F32x1 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 operator *(F32x1 a, F32x1 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 operator /(F32x1 a, F32x1 b) => new(a._v / b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 FusedMultiplyAdd(F32x1 a, F32x1 b, F32x1 c) => new(MathF.FusedMultiplyAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 Min(F32x1 a, F32x1 b) => new(a._v < b._v ? a._v : b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 Max(F32x1 a, F32x1 b) => new(a._v > b._v ? a._v : b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 Round(F32x1 x) => new(MathF.Round(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F32x1 ScaleByPowerOf2(F32x1 x, F32x1 n) => new(x._v * BitConverter.Int32BitsToSingle(((int)n._v + 127) << 23));
}
