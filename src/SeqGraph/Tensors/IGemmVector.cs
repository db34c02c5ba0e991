namespace SeqGraph.Tensors;

/// <summary>
/// The operations the GEMM micro-kernel (<see cref="GemmKernel"/>) needs on a register
/// <typeparamref name="TV"/> of floats, so the kernel is written once for every vector width.
/// Implemented by empty structs for Vector512, Vector256, Vector128 and a single float; every
/// member is one inlined intrinsic, so an instantiation compiles to the same instructions as a
/// kernel written for that width. (The registers themselves are the .NET vector types: the JIT
/// keeps those in registers more readily than a wrapper struct.)
/// </summary>
internal unsafe interface IGemmVector<TV> where TV : struct
{
    /// <summary>Floats in one vector.</summary>
    static abstract int Count { get; }
    static abstract TV Load(float* p);
    static abstract void Store(TV x, float* p);
    static abstract TV Broadcast(float x);
    static abstract TV Multiply(TV x, TV y);
    /// <summary>acc + x·y, the kernel's accumulation step: fused where the width has FMA (AVX2,
    /// AVX-512), a multiply then an add where it may not (128-bit, scalar).</summary>
    static abstract TV Accumulate(TV x, TV y, TV acc);
    /// <summary>x·y + z with one rounding (the final update of C, on every width).</summary>
    static abstract TV FusedMultiplyAdd(TV x, TV y, TV z);
    /// <summary>The sum of the lanes (the vector type's own Sum; the sampler's GEMV rows).</summary>
    static abstract float Sum(TV x);
}
