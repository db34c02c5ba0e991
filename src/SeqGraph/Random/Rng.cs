namespace SeqGraph.Random;

/// <summary>
/// SeqGraph's own seeded generator: xoshiro256** seeded through SplitMix64. The stream depends
/// only on the seed (no platform or runtime randomness), so runs repeat on every machine.
/// Floats take the top 24 bits, doubles the top 53; normals use Box–Muller in double precision.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the generator.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        ulong range = (ulong)n;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong m = r * range;
            uint low = (uint)m;
            if (low >= (uint)(((1UL << 32) - range) % range)) return (int)(m >> 32);
        }
    }

    /// <summary>Uniform integer in [low, high).</summary>
    public int NextInt(int low, int high) => low + NextInt(high - low);

    /// <summary>Uniform 64-bit integer in [low, high).</summary>
    public long NextLong(long low, long high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high));
        ulong range = (ulong)(high - low);
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        while (true)
        {
            ulong r = NextUInt64();
            if (r < limit) return low + (long)(r % range);
        }
    }

    /// <summary>Standard normal (Box–Muller; both values of a pair are used).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    private double _spare;
    private bool _hasSpare;

    /// <summary>Fills with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> dst, float low, float high)
    {
        float w = high - low;
        for (int i = 0; i < dst.Length; i++) dst[i] = low + w * NextFloat();
    }

    /// <summary>Fills with normal values.</summary>
    public void FillNormal(Span<float> dst, float mean, float std)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>A random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Draws an index with probability proportional to <paramref name="weights"/> (non-negative,
    /// not necessarily normalised).
    /// </summary>
    public int Categorical(ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (float w in weights)
        {
            if (!(w >= 0) || float.IsInfinity(w)) throw new ArgumentException("weights must be finite and non-negative");
            total += w;
        }
        if (total <= 0) throw new ArgumentException("weights sum to zero");
        double u = NextDouble() * total, acc = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            acc += weights[i];
            last = i;
            if (u < acc) return i;
        }
        return last; // rounding left u at the very top
    }

    /// <summary>True with probability p.</summary>
    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>The full state, for checkpoints.</summary>
    public RngState GetState() => new(new[] { _s0, _s1, _s2, _s3 }, _hasSpare, _spare);

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    public void SetState(RngState state)
    {
        if (state.Words is not { Length: 4 }) throw new ArgumentException("RNG state needs 4 words");
        if ((state.Words[0] | state.Words[1] | state.Words[2] | state.Words[3]) == 0) throw new ArgumentException("RNG state is all zero");
        (_s0, _s1, _s2, _s3) = (state.Words[0], state.Words[1], state.Words[2], state.Words[3]);
        _hasSpare = state.HasSpare;
        _spare = state.Spare;
    }

    /// <summary>A fresh generator whose stream is independent of this one's continuation.</summary>
    public Rng Fork() => new(NextUInt64());
}
