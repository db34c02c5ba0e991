using System.Globalization;
using Microsoft.AspNetCore.Http;
using SeqGraph.Experiments.Text;

namespace SeqGraph.Web;

/// <summary>
/// The query of <c>/api/sample</c> as the settings of <c>text sample</c>: <c>prompt</c>,
/// <c>temperature</c>, <c>top_k</c>, <c>length</c> and <c>seed</c> map to the command's options and
/// defaults (one sample). A bad value throws <see cref="ConfigException"/> with the line the command
/// line gives for it ("--temperature: 'x' is not a number", "--top-k must be 0 or more (got -1)");
/// unknown or repeated parameters are refused the same way.
/// </summary>
public static class SampleQuery
{
    /// <summary>The most characters one request may ask for (<c>length</c>) unless the server is told otherwise.</summary>
    public const int MaxLength = 5000;

    /// <summary>The parameters read, with the option each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> Options = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["checkpoint"] = "--checkpoint", ["best"] = "--checkpoint", ["prompt"] = "--prompt", ["temperature"] = "--temperature",
        ["top_k"] = "--top-k", ["length"] = "--length", ["seed"] = "--seed",
    };

    /// <summary>
    /// The validated settings of <paramref name="query"/> for the checkpoint folder <paramref name="checkpoint"/>
    /// (an empty or missing prompt means a random first character, as without <c>--prompt</c>), at most
    /// <paramref name="maxLength"/> characters long.
    /// </summary>
    public static TextSampleConfig Parse(IQueryCollection query, string checkpoint, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (key, values) in query)
        {
            if (!Options.TryGetValue(key, out var option))
                throw new ConfigException(key, $"{key}: unknown parameter (give {string.Join(", ", Options.Keys)})");
            if (values.Count > 1) throw new ConfigException(option, $"{option}: given {values.Count} times; give it once");
        }
        var d = new TextSampleConfig();
        string? prompt = query["prompt"];
        var config = d with
        {
            Checkpoint = checkpoint,
            Prompt = string.IsNullOrEmpty(prompt) ? null : prompt,
            Temperature = Text(query, "temperature") is { } t ? Float("--temperature", t) : d.Temperature,
            TopK = Text(query, "top_k") is { } k ? Int("--top-k", k) : d.TopK,
            Length = Text(query, "length") is { } n ? Int("--length", n) : d.Length,
            Seed = Text(query, "seed") is { } s ? ULong("--seed", s) : d.Seed,
            Count = 1,
        };
        config.Validate();
        if (config.Length > maxLength)
            throw new ConfigException("--length", $"--length: the playground samples at most {maxLength} characters at a time (got {config.Length})");
        return config;
    }

    /// <summary>Whether the <c>best</c> parameter asks for the run's best checkpoint (absent, 0 or false: its latest).</summary>
    public static bool Best(IQueryCollection query) => Text(query, "best") switch
    {
        null or "0" or "false" => false,
        "1" or "true" => true,
        var other => throw new ConfigException("--checkpoint", $"best: '{other}' is not 1 or 0"),
    };

    private static string? Text(IQueryCollection query, string key) => query.TryGetValue(key, out var v) && v.Count > 0 && v[0] is { Length: > 0 } s ? s : null;

    private static float Float(string option, string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ConfigException(option, $"{option}: '{text}' is not a number");

    private static int Int(string option, string text)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        string digits = text.TrimStart('-', '+');
        throw new ConfigException(option, digits.Length == 0 || !digits.All(char.IsAsciiDigit) ? $"{option}: '{text}' is not an integer" : $"{option}: {text} is too large");
    }

    private static ulong ULong(string option, string text)
    {
        if (ulong.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        string digits = text.TrimStart('-', '+');
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) throw new ConfigException(option, $"{option}: '{text}' is not an integer");
        throw new ConfigException(option, text.StartsWith('-') ? $"{option} must be ≥ 0 (got {text})" : $"{option}: {text} is too large");
    }
}
