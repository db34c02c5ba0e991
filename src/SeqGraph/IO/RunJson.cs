using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SeqGraph.IO;

/// <summary>
/// How run files (<c>config.json</c>, <c>summary.json</c>, <c>--json</c> output) turn typed records
/// into JSON and back: snake_case keys (<c>TestAccuracy</c> → <c>test_accuracy</c>), enums as
/// their kebab-case names (<c>PeepholeLstm</c> → <c>"peephole-lstm"</c>, the command-line spelling),
/// NaN and infinities as the strings "NaN", "Infinity", "-Infinity", readable text ("∂", "é" are
/// not escaped: these are files, not HTML). Reading is strict: an unknown key or a value of the
/// wrong type is an <see cref="InvalidDataException"/> naming the file and the key.
/// </summary>
public static class RunJson
{
    /// <summary>The serializer settings of every run file (indented).</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>The same settings on one line (for <c>--json</c> on stdout).</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary><paramref name="value"/> as indented JSON text with a final newline.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <summary><paramref name="value"/> as one line of JSON (no final newline).</summary>
    public static string SerializeCompact<T>(T value) => JsonSerializer.Serialize(value, Compact);

    /// <summary><paramref name="value"/> as a JSON tree (to embed in another document).</summary>
    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;

    /// <summary>Reads a <typeparamref name="T"/> from JSON text; <paramref name="context"/> (a file name) starts every error message.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON, an unknown key, a wrong type or a missing required value.</exception>
    public static T Deserialize<T>(string json, string context)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{context}: null instead of an object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{context}: {Describe(e)}", e);
        }
    }

    /// <summary>
    /// Reads a <typeparamref name="T"/> from a JSON tree and, with <paramref name="requireAll"/>,
    /// also refuses a document that leaves out any key the type writes (a checkpoint's settings
    /// must be complete; a hand-written config may rely on defaults).
    /// </summary>
    public static T FromNode<T>(JsonNode? node, string context, bool requireAll = false)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{context}: expected a JSON object");
        if (requireAll)
            foreach (var property in Options.GetTypeInfo(typeof(T)).Properties)
                if (property.Get is not null && !o.ContainsKey(property.Name)) throw new InvalidDataException($"{context}: \"{property.Name}\" is missing");
        return Deserialize<T>(o.ToJsonString(), context);
    }

    /// <summary>Reads a <typeparamref name="T"/> from a file.</summary>
    public static T Read<T>(string path) => Deserialize<T>(File.ReadAllText(InputFile.Check(path)), path);

    private static string Describe(JsonException e)
    {
        string where = e.Path is { Length: > 1 } p ? $" at {p}" : "";
        string what = e.Message;
        int cut = what.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) what = what[..cut];
        return $"{what.TrimEnd('.')}{where}";
    }
}
