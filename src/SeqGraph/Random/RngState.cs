namespace SeqGraph.Random;

/// <summary>A serialisable snapshot of <see cref="Rng"/>.</summary>
public sealed record RngState(ulong[] Words, bool HasSpare, double Spare);
