using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The GEMM kernel's operations on a portable 128-bit register of 4 floats (NEON on Arm64, SSE
/// on x86 without AVX2/FMA). It accumulates with an unfused multiply-add, since FMA is not
/// available everywhere this runs.
/// </summary>
internal readonly unsafe struct GemmVector128 : IGemmVector<Vector128<float>>
{
    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> x, float* p) => Vector128.Store(x, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> x, Vector128<float> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Accumulate(Vector128<float> x, Vector128<float> y, Vector128<float> acc) => acc + x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(x, y, z) : SoftwareFusedMultiplyAdd(x, y, z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> x) => Vector128.Sum(x);

    /// <summary>Lane by lane, out of line: inlined, four calls per vector would use up the kernel's inlining budget.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> SoftwareFusedMultiplyAdd(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        Vector128.FusedMultiplyAdd(x, y, z);
}
