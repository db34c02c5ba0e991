namespace SeqGraph.IO;

/// <summary>
/// The element types a safetensors file may declare that SeqGraph recognises. The header spells
/// them as in the format (<c>"F32"</c>, <c>"BF16"</c>, <c>"BOOL"</c>, …); see
/// <see cref="SafetensorsDtypes.HeaderName"/>.
/// </summary>
public enum SafetensorsDtype
{
    /// <summary>IEEE 754 binary64.</summary>
    F64,
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary16.</summary>
    F16,
    /// <summary>bfloat16: the top 16 bits of a binary32.</summary>
    BF16,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>One byte per value, 0 for false and 1 for true.</summary>
    Bool,
}
