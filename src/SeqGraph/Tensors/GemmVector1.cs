using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>
/// The GEMM kernel's operations on one float as a 1-lane vector, for machines without SIMD.
/// Accumulates with an unfused multiply-add, like <see cref="GemmVector128"/>.
/// </summary>
internal readonly unsafe struct GemmVector1 : IGemmVector<float>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float x, float* p) => *p = x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float x, float y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Accumulate(float x, float y, float acc) => acc + x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FusedMultiplyAdd(float x, float y, float z) => MathF.FusedMultiplyAdd(x, y, z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float x) => x;
}
