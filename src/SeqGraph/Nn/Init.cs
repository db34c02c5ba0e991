using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>Weight initialisers with PyTorch's definitions of fan and gain.</summary>
public static class Init
{
    /// <summary>(fan_in, fan_out) as PyTorch computes them: size(1)·receptive, size(0)·receptive.</summary>
    public static (int FanIn, int FanOut) Fans(Tensor t)
    {
        if (t.Rank < 2) throw new ArgumentException($"fan needs at least 2 axes, got {t.ShapeString}");
        int receptive = 1;
        for (int i = 2; i < t.Rank; i++) receptive *= t.Shape[i];
        return (t.Shape[1] * receptive, t.Shape[0] * receptive);
    }

    /// <summary>The recommended gain for a non-linearity (as torch.nn.init.calculate_gain).</summary>
    public static float Gain(string nonlinearity, float param = 0.01f) => nonlinearity switch
    {
        "linear" or "sigmoid" => 1f,
        "tanh" => 5f / 3f,
        "relu" => MathF.Sqrt(2f),
        "leaky_relu" => MathF.Sqrt(2f / (1 + param * param)),
        _ => throw new ArgumentException($"unknown non-linearity '{nonlinearity}'"),
    };

    /// <summary>U(low, high).</summary>
    public static void Uniform(Tensor t, Rng rng, float low, float high) => rng.FillUniform(t.Data, low, high);

    /// <summary>N(mean, std²).</summary>
    public static void Normal(Tensor t, Rng rng, float mean = 0f, float std = 1f) => rng.FillNormal(t.Data, mean, std);

    /// <summary>All zeros.</summary>
    public static void Zeros(Tensor t) => Array.Clear(t.Data);

    /// <summary>All equal to <paramref name="value"/>.</summary>
    public static void Constant(Tensor t, float value) => Array.Fill(t.Data, value);

    /// <summary>Xavier/Glorot uniform: U(−a, a), a = gain·√(6/(fan_in+fan_out)).</summary>
    public static void XavierUniform(Tensor t, Rng rng, float gain = 1f)
    {
        var (fi, fo) = Fans(t);
        float a = gain * MathF.Sqrt(6f / (fi + fo));
        Uniform(t, rng, -a, a);
    }

    /// <summary>Xavier/Glorot normal: N(0, gain²·2/(fan_in+fan_out)).</summary>
    public static void XavierNormal(Tensor t, Rng rng, float gain = 1f)
    {
        var (fi, fo) = Fans(t);
        Normal(t, rng, 0f, gain * MathF.Sqrt(2f / (fi + fo)));
    }

    /// <summary>Kaiming/He uniform: U(−b, b), b = gain·√(3/fan), gain for leaky ReLU with slope a.</summary>
    public static void KaimingUniform(Tensor t, Rng rng, float a = 0f, bool fanIn = true, string nonlinearity = "leaky_relu")
    {
        var (fi, fo) = Fans(t);
        float bound = Gain(nonlinearity, a) * MathF.Sqrt(3f / (fanIn ? fi : fo));
        Uniform(t, rng, -bound, bound);
    }

    /// <summary>Kaiming/He normal: N(0, (gain/√fan)²).</summary>
    public static void KaimingNormal(Tensor t, Rng rng, float a = 0f, bool fanIn = true, string nonlinearity = "leaky_relu")
    {
        var (fi, fo) = Fans(t);
        Normal(t, rng, 0f, Gain(nonlinearity, a) / MathF.Sqrt(fanIn ? fi : fo));
    }
}
