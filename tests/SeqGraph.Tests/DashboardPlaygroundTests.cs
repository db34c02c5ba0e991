using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Text;
using SeqGraph.Training;
using SeqGraph.Web;
using static SeqGraph.Tests.DashboardPlaygroundFixture;

namespace SeqGraph.Tests;

/// <summary>
/// The text playground's API over real HTTP on a free port: the checkpoint list, a stream that is
/// the seeded <c>text sample</c> character for character and arrives in pieces while it is sampled,
/// the command line's error lines for bad values, refused checkpoint ids, the bound on concurrent
/// samplings and the cancelling of a sampling whose client went away; and the model cache.
/// </summary>
public sealed class DashboardPlaygroundTests(DashboardPlaygroundFixture fx) : IClassFixture<DashboardPlaygroundFixture>
{
    private Task<DashboardServer> Start() =>
        DashboardServer.StartAsync(new DashboardOptions { Runs = fx.Runs, SampleMaxLength = MaxLength });

    private static async Task<(HttpStatusCode Status, JsonObject? Json)> GetJson(Uri address, string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address, path));
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(body) as JsonObject : null);
    }

    [Fact]
    public async Task TheCheckpointListHoldsTheTextRunsWithACheckpointAndTheirBest()
    {
        await using var server = await Start();
        using var http = new HttpClient();
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "api/text-checkpoints")))!.AsArray();
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run("text"), "model.json")))!;
        var best = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run("text"), "best", "model.json")))!;
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run("text"), "summary.json")))!;
        // "empty" has no checkpoint and "escape" leads out of the runs folder: neither is offered
        Assert.Equal(["text:false", "text:true"], list.Select(c => $"{c!["id"]}:{c["best"]}"));
        Assert.Equal((int)model["step"]!, (int)list[0]!["step"]!);
        Assert.Equal((double)summary["val_bpc"]!, (double)list[0]!["val_bpc"]!, 5);
        Assert.Equal((int)best["step"]!, (int)list[1]!["step"]!);
        Assert.Equal((double)best["best"]!["val_loss"]! / Math.Log(2), (double)list[1]!["val_bpc"]!, 5);
        Assert.Equal((int)model["model"]!["vocabulary"]!, (int)list[0]!["vocabulary"]!);
        Assert.Equal($"text · step {(int)model["step"]!} · val bpc {(double)summary["val_bpc"]!:0.000}", (string)list[0]!["label"]!);
    }

    [Theory]
    [InlineData(false, "the king", "0.8", "5", "400", "7")]
    [InlineData(true, "Once upon", "1.3", "0", "250", "3")]
    public async Task TheStreamIsTheSeededSampleOfTheCommandLine(bool best, string prompt, string temperature, string topK, string length, string seed)
    {
        await using var server = await Start();
        using var http = new HttpClient();
        using var response = await Open(http, server.Address,
            $"api/sample?checkpoint=text{(best ? "&best=1" : "")}&prompt={Uri.EscapeDataString(prompt)}&temperature={temperature}&top_k={topK}&length={length}&seed={seed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await Events(response);
        var cli = CliSample("--checkpoint", best ? Path.Combine(fx.Run("text"), "best") : fx.Run("text"), "--prompt", prompt,
            "--temperature", temperature, "--top-k", topK, "--length", length, "--seed", seed);
        Assert.True(cli.Code == 0, cli.Err);
        Assert.Equal("prompt", events[0].Name);
        Assert.Equal(prompt, (string)events[0].Data["text"]!);
        Assert.Equal(cli.Text, prompt + Continuation(events));
        Assert.Equal("done", events[^1].Name);
        Assert.Equal(int.Parse(length), (int)events[^1].Data["characters"]!);
        Assert.True((double)events[^1].Data["chars_per_second"]! > 0);
    }

    [Fact]
    public async Task ALongSampleArrivesInPiecesWhileItIsSampled()
    {
        await using var server = await Start();
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        using var response = await Open(http, server.Address, "api/sample?checkpoint=text&prompt=the&length=300000&seed=2");
        var events = await Events(response, clock: clock);
        var pieces = events.Where(e => e.Name == "message").ToList();
        Assert.Equal("done", events[^1].Name);
        Assert.Equal(300_000, Continuation(events).Length);
        Assert.True(pieces.Count >= 5, $"{pieces.Count} pieces");
        // pieces kept coming while the text was sampled: the first well before the end (loading the model
        // and compiling the sampler come before the first piece, so the time is counted from there)
        double span = events[^1].AtMs - pieces[0].AtMs;
        Assert.True(span >= 100, $"first piece at {pieces[0].AtMs:F0} ms, done at {events[^1].AtMs:F0} ms");
        Assert.True(pieces.Count(p => p.AtMs < events[^1].AtMs - span / 2) >= 2, "no pieces arrived in the first half of the sampling");
    }

    [Theory]
    [InlineData("temperature=-1", "--temperature", "-1")]
    [InlineData("temperature=abc", "--temperature", "abc")]
    [InlineData("top_k=-2", "--top-k", "-2")]
    [InlineData("length=-3", "--length", "-3")]
    [InlineData("seed=-1", "--seed", "-1")]
    [InlineData("temperature=0&top_k=3", "--top-k", "3", "--temperature", "0")]
    [InlineData("prompt=zzQ", "--prompt", "zzQ")]
    public async Task ABadValueGets400WithTheLineTheCommandLineGives(string query, params string[] cliArgs)
    {
        await using var server = await Start();
        var (status, json) = await GetJson(server.Address, "api/sample?checkpoint=text&" + query);
        var cli = CliSample(["--checkpoint", fx.Run("text"), .. cliArgs]);
        Assert.Equal(2, cli.Code);
        string line = Assert.Single(cli.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(line, "seqgraph: error: " + (string)json!["error"]!);
    }

    [Fact]
    public async Task TooLongAnUnknownParameterAndAMissingCheckpointAreRefusedByName()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = fx.Runs });
        var (status, json) = await GetJson(server.Address, "api/sample?checkpoint=text&length=5001");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--length: the playground samples at most 5000 characters at a time (got 5001)", (string)json!["error"]!);
        (status, json) = await GetJson(server.Address, "api/sample?checkpoint=text&topk=3");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("topk: unknown parameter", (string)json!["error"]!);
        (status, json) = await GetJson(server.Address, "api/sample?prompt=the");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("--checkpoint: no checkpoint given", (string)json!["error"]!);
        (status, json) = await GetJson(server.Address, "api/sample?checkpoint=empty");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("--checkpoint: empty holds no text checkpoint", (string)json!["error"]!);
    }

    [Theory]
    [InlineData("..%2Foutside%2Ftext", HttpStatusCode.BadRequest)]
    [InlineData("%2Fetc", HttpStatusCode.BadRequest)]
    [InlineData("text%2F..%2Ftext", HttpStatusCode.BadRequest)]
    [InlineData("text%5C..", HttpStatusCode.BadRequest)]
    [InlineData(".hidden", HttpStatusCode.BadRequest)]
    [InlineData("escape", HttpStatusCode.NotFound)]
    [InlineData("nosuchrun", HttpStatusCode.NotFound)]
    public async Task ACheckpointIdOutsideTheRunsFolderIsRefused(string id, HttpStatusCode expected)
    {
        await using var server = await Start();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(server.Address, "api/sample?checkpoint=" + id + "&prompt=the&length=50"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.StartsWith("--checkpoint: ", (string)JsonNode.Parse(body)!["error"]!);
        // the escape link leads to a real checkpoint: following it would have streamed a sample
        Assert.DoesNotContain("event:", body);
    }

    [Fact]
    public async Task AThirdSamplingGets503AndAClientThatLeavesFreesItsSlot()
    {
        await using var server = await Start();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        string longOne = $"api/sample?checkpoint=text&prompt=the&length={MaxLength}&seed=";
        // two samplings that would take a minute each, both under way
        var first = await Open(http, server.Address, longOne + "1");
        var second = await Open(http, server.Address, longOne + "2");
        Assert.NotEmpty(Continuation(await Events(first, e => e.Name == "message")));
        Assert.NotEmpty(Continuation(await Events(second, e => e.Name == "message")));
        var (status, json) = await GetJson(server.Address, longOne + "3");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("2 samplings are under way, the most served at once; try again when one ends", (string)json!["error"]!);

        // both clients go away: their samplings stop, long before the minute they would have taken
        var clock = Stopwatch.StartNew();
        first.Dispose();
        second.Dispose();
        HttpStatusCode[] statuses = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var a = Open(http, server.Address, "api/sample?checkpoint=text&length=20");
            var b = Open(http, server.Address, "api/sample?checkpoint=text&length=20");
            using var ra = await a;
            using var rb = await b;
            statuses = [ra.StatusCode, rb.StatusCode];
            if (statuses.All(s => s == HttpStatusCode.OK)) break;
            await Task.Delay(50);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the slots were still taken after {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void TheModelCacheKeepsACheckpointUntilItsFilesChange()
    {
        using var dir = new TempDir();
        string copy = dir.File("run");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(fx.Run("text"))) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var cache = new TextModelCache();
        var a = cache.Load(copy);
        Assert.Same(a, cache.Load(copy));
        Assert.Equal(1, cache.Loads);
        // the run's best checkpoint written over its latest: a new model
        foreach (var name in new[] { "model.safetensors", "model.json" })
            File.Copy(Path.Combine(fx.Run("text"), "best", name), Path.Combine(copy, name), overwrite: true);
        File.SetLastWriteTimeUtc(Path.Combine(copy, "model.json"), DateTime.UtcNow.AddMinutes(1));
        var b = cache.Load(copy);
        Assert.NotSame(a, b);
        Assert.Equal(2, cache.Loads);

        // a session on the kept model samples what one that loads the checkpoint samples
        var config = new TextSampleConfig { Checkpoint = copy, Prompt = "the", Length = 300, Temperature = 0.9f, TopK = 4, Seed = 5 };
        Assert.Equal(TextSampling.Run(config).Samples, TextSampleSession.Open(config, b).Sample("the", 5).Samples);
        Assert.Throws<ConfigException>(() => TextSampleSession.Open(config with { Temperature = -1 }, b));
    }
}
