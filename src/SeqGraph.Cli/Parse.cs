using System.Globalization;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Cli;

/// <summary>Parsing of option values; every failure is a <see cref="UsageException"/> naming the option.</summary>
public static class Parse
{
    /// <summary>The model names of the recurrent commands.</summary>
    public static readonly string[] ModelNames = RecurrentModels.All.Select(m => m.Name()).ToArray();

    /// <summary>A recurrent model by its name.</summary>
    public static RecurrentModel Model(string name) =>
        RecurrentModels.FromName(name) ?? throw new UsageException($"--model: unknown model '{name}' (choose {string.Join(", ", ModelNames)})");

    /// <summary>"onehot" → 0, "embed:N" → N.</summary>
    public static int Input(string text)
    {
        if (text == "onehot") return 0;
        if (text.StartsWith("embed:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0) return n;
        throw new UsageException($"--input: expected 'onehot' or 'embed:N' with N > 0, got '{text}'");
    }

    /// <summary>The --init names.</summary>
    public static InitScheme Init(string text) => text switch
    {
        "default" => InitScheme.Default,
        "xavier" or "xavier-uniform" => InitScheme.XavierUniform,
        "xavier-normal" => InitScheme.XavierNormal,
        "kaiming" or "kaiming-normal" => InitScheme.KaimingNormal,
        "kaiming-uniform" => InitScheme.KaimingUniform,
        "normal" => InitScheme.Normal,
        _ => throw new UsageException($"--init: unknown scheme '{text}' (default, xavier, xavier-normal, kaiming, kaiming-uniform, normal)"),
    };

    /// <summary>fused | reference.</summary>
    public static RecurrentImpl Impl(string text) => text switch
    {
        "fused" => RecurrentImpl.Fused,
        "reference" => RecurrentImpl.Reference,
        _ => throw new UsageException($"--impl: expected 'fused' or 'reference', got '{text}'"),
    };

    /// <summary>
    /// Integer lists: "5,10,20", inclusive ranges "0..9", and stepped ranges "5:40:5"
    /// (start:stop:step, stop included), mixed with commas.
    /// </summary>
    public static int[] IntList(string option, string text)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) throw new UsageException($"{option}: an empty item in '{text}'");
            if (part.Contains(':'))
            {
                var p = part.Split(':');
                if (p.Length != 3 || !TryInt(p[0], out int a) || !TryInt(p[1], out int b) || !TryInt(p[2], out int s) || s <= 0 || b < a)
                    throw new UsageException($"{option}: '{part}' is not start:stop:step with step > 0 and stop ≥ start");
                if (((long)b - a) / s + 1 + result.Count > MaxListValues) throw new UsageException($"{option}: more than {MaxListValues:N0} values");
                for (long v = a; v <= b; v += s) result.Add((int)v);
            }
            else if (part.Contains(".."))
            {
                var p = part.Split("..");
                if (p.Length != 2 || !TryInt(p[0], out int a) || !TryInt(p[1], out int b) || b < a)
                    throw new UsageException($"{option}: '{part}' is not a range a..b with b ≥ a");
                if ((long)b - a + 1 + result.Count > MaxListValues) throw new UsageException($"{option}: more than {MaxListValues:N0} values");
                for (long v = a; v <= b; v++) result.Add((int)v);
            }
            else if (TryInt(part, out int v)) result.Add(v);
            else throw new UsageException($"{option}: '{part}' is not an integer");
        }
        if (result.Count == 0) throw new UsageException($"{option}: empty list");
        if (result.Count > MaxListValues) throw new UsageException($"{option}: more than {MaxListValues:N0} values");
        return result.ToArray();
    }

    /// <summary>The most values an integer list may hold.</summary>
    public const int MaxListValues = 10_000;

    /// <summary>Comma-separated names, each checked against <paramref name="allowed"/>.</summary>
    public static string[] Names(string option, string text, IReadOnlyCollection<string> allowed)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new UsageException($"{option}: empty list");
        foreach (var n in names)
            if (!allowed.Contains(n)) throw new UsageException($"{option}: unknown '{n}' (choose {string.Join(", ", allowed)})");
        return names.Distinct().ToArray();
    }

    /// <summary>Throws unless value is positive.</summary>
    public static int Positive(string option, int value) =>
        value > 0 ? value : throw new UsageException($"{option} must be positive (got {value})");

    /// <summary>Throws unless value is finite and positive.</summary>
    public static float Positive(string option, float value) =>
        float.IsFinite(value) && value > 0 ? value : throw new UsageException($"{option} must be a positive number (got {value.ToString(CultureInfo.InvariantCulture)})");

    /// <summary>A size in bytes: a number with an optional K, M, G or T (powers of 1024; "16G", "1.5T", "512MB", "100000").</summary>
    public static long Bytes(string option, string text)
    {
        string t = text.Trim();
        string upper = t.ToUpperInvariant();
        if (upper.EndsWith("IB", StringComparison.Ordinal)) upper = upper[..^2];
        else if (upper.EndsWith('B')) upper = upper[..^1];
        int power = upper.Length == 0 ? 0 : "KMGT".IndexOf(upper[^1]) + 1;
        string number = power > 0 ? upper[..^1] : upper;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0)
            throw new UsageException($"{option}: '{text}' is not a size (e.g. 16G, 512M)");
        double bytes = v * Math.Pow(1024, power);
        if (bytes >= long.MaxValue) throw new UsageException($"{option}: '{text}' is too large");
        return Math.Max(1, (long)bytes);
    }

    private static bool TryInt(string s, out int v) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v);
}
