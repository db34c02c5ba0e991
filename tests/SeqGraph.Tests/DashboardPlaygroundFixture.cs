using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SeqGraph.Tests;

/// <summary>
/// A runs folder for the text playground, made by the real command: one tiny text run ("text",
/// with its best/), a text run folder without a checkpoint ("empty"), and a link ("escape") to a
/// copy of the text run outside the runs folder, which no request may sample. Also reads the
/// playground's server-sent events and runs <c>text sample</c> for the expected text.
/// </summary>
public sealed class DashboardPlaygroundFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public DashboardPlaygroundFixture()
    {
        Runs = _dir.File("runs");
        Outside = _dir.File("outside");
        Directory.CreateDirectory(Runs);
        Directory.CreateDirectory(Outside);
        string corpus = TextCheckpointTests.TinyCorpus(_dir);
        var (code, _, err) = CliTests.Run("text", "train", "--corpus", corpus, "--steps", "10", "--seq", "10", "--batch", "8", "--hidden", "8",
            "--embed", "4", "--eval-every", "5", "--out", Run("text"));
        if (code != 0) throw new InvalidOperationException("text train failed: " + err);
        Directory.CreateDirectory(Run("empty"));
        File.Copy(Path.Combine(Run("text"), "config.json"), Path.Combine(Run("empty"), "config.json"));
        string copy = Path.Combine(Outside, "text");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(Run("text"))) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        Directory.CreateSymbolicLink(Path.Combine(Runs, "escape"), copy);
    }

    /// <summary>The most characters a request may ask for in these tests: enough for samplings that last a minute.</summary>
    public const int MaxLength = 5_000_000;

    public string Runs { get; }

    public string Outside { get; }

    public string Run(string id) => Path.Combine(Runs, id);

    /// <summary>What <c>text sample</c> prints for these options (its stdout without the final line break), and its exit code and stderr.</summary>
    public static (int Code, string Text, string Err) CliSample(params string[] args)
    {
        var (code, output, err) = CliTests.Run(["text", "sample", .. args]);
        return (code, output.EndsWith('\n') ? output[..^1] : output, err);
    }

    /// <summary>One server-sent event: its name ("message" when unnamed), its data, and when it arrived (ms after the request).</summary>
    public sealed record Sse(string Name, JsonObject Data, double AtMs);

    /// <summary>Opens <paramref name="path"/> as an event stream (the response, once its headers are in).</summary>
    public static async Task<HttpResponseMessage> Open(HttpClient http, Uri address, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The events of a stream, read as they arrive, until it ends or <paramref name="until"/> says stop.</summary>
    public static async Task<List<Sse>> Events(HttpResponseMessage response, Func<Sse, bool>? until = null, Stopwatch? clock = null)
    {
        clock ??= Stopwatch.StartNew();
        var events = new List<Sse>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        string name = "message";
        var data = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
            else if (line.Length == 0 && data.Length > 0)
            {
                var e = new Sse(name, (JsonObject)JsonNode.Parse(data.ToString())!, clock.Elapsed.TotalMilliseconds);
                events.Add(e);
                name = "message";
                data.Clear();
                if (until?.Invoke(e) == true) break;
            }
        }
        return events;
    }

    /// <summary>The continuation the events carry: their unnamed events' text, joined.</summary>
    public static string Continuation(IEnumerable<Sse> events) =>
        string.Concat(events.Where(e => e.Name == "message").Select(e => (string)e.Data["text"]!));

    public void Dispose() => _dir.Dispose();
}
