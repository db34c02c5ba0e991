namespace SeqGraph.Nn;

/// <summary>The initialisation schemes a user can pick for weight matrices.</summary>
public enum InitScheme
{
    /// <summary>What PyTorch does for the layer.</summary>
    Default,
    /// <summary>Xavier (Glorot) uniform.</summary>
    XavierUniform,
    /// <summary>Xavier (Glorot) normal.</summary>
    XavierNormal,
    /// <summary>Kaiming (He) uniform, fan-in, ReLU gain.</summary>
    KaimingUniform,
    /// <summary>Kaiming (He) normal, fan-in, ReLU gain.</summary>
    KaimingNormal,
    /// <summary>Standard normal N(0, 1).</summary>
    Normal,
    /// <summary>All zeros.</summary>
    Zeros,
}
