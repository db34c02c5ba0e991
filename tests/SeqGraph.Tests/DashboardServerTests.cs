using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// The dashboard server over a runs folder the real commands wrote, asked over real HTTP on a
/// free port: the run list and a run's details agree with the runs' own files, and nothing
/// outside the runs folder can be requested (traversal, encoded separators, backslashes,
/// symbolic links), with request sizes bounded.
/// </summary>
public sealed partial class DashboardServerTests(DashboardRunsFixture runs) : IClassFixture<DashboardRunsFixture>
{
    private static JsonObject ReadJson(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    private static async Task<(HttpStatusCode Status, string? Type, string Body)> Get(Uri address, string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address, path));
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="request"/> byte for byte over TCP (no client normalises the path) and returns the status code and the whole response.</summary>
    internal static async Task<(int Status, string Response)> Raw(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var readAll = reader.ReadToEndAsync();
        string text = await readAll.WaitAsync(TimeSpan.FromSeconds(20));
        string statusLine = text.Split("\r\n", 2)[0];
        return (int.Parse(statusLine.Split(' ')[1]), text);
    }

    private static string RawGet(Uri address, string target, string? host = null) =>
        $"GET {target} HTTP/1.1\r\nHost: {host ?? $"127.0.0.1:{address.Port}"}\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task TheRunListHoldsEveryRunWithItsKindStatusAndFigureNewestFirst()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.NotEqual(0, server.Address.Port);
        var (status, type, body) = await Get(server.Address, "api/runs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/json", type);
        var list = JsonNode.Parse(body)!.AsArray().Select(r => r!.AsObject()).ToList();
        var byId = list.ToDictionary(r => (string)r["id"]!);
        Assert.Equal(["grad", "group/gcn", "rnn", "stopped", "sweep", "text"], byId.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["rnn gradients", "graph", "rnn train", "text", "sweep", "text"],
            new[] { "grad", "group/gcn", "rnn", "stopped", "sweep", "text" }.Select(id => (string)byId[id]["kind"]!));
        foreach (var id in byId.Keys) Assert.Equal(id == "stopped" ? "interrupted" : "finished", (string)byId[id]["status"]!);

        Assert.Equal((double)ReadJson(Path.Combine(runs.Run("rnn"), "summary.json"))["test_accuracy"]!, (double)byId["rnn"]["figure"]!["value"]!);
        Assert.Equal((double)ReadJson(Path.Combine(runs.Run("group/gcn"), "summary.json"))["test_accuracy_mean"]!, (double)byId["group/gcn"]["figure"]!["value"]!);
        Assert.Equal((double)ReadJson(Path.Combine(runs.Run("text"), "summary.json"))["val_bpc"]!, (double)byId["text"]["figure"]!["value"]!);
        Assert.Equal("val bpc", (string)byId["text"]["figure"]!["name"]!);
        // a sweep: the mean of its chart's points (each the mean over seeds), read from its summary.json
        var points = ReadJson(Path.Combine(runs.Run("sweep"), "summary.json"))["points"]!.AsArray().Where(p => (string)p!["metric"]! == "test_accuracy").ToList();
        Assert.Equal(2, points.Count);
        Assert.Equal(points.Average(p => (double)p!["mean"]!), (double)byId["sweep"]["figure"]!["value"]!, 12);
        Assert.Equal("mean test accuracy", (string)byId["sweep"]["figure"]!["name"]!);

        var rnnConfig = ReadJson(Path.Combine(runs.Run("rnn"), "config.json"));
        Assert.Equal((int)rnnConfig["length"]!, (int)byId["rnn"]["settings"]!["length"]!);
        Assert.Equal("rnn", (string)byId["rnn"]["settings"]!["model"]!);
        Assert.Equal("gcn", (string)byId["group/gcn"]["settings"]!["model"]!);
        Assert.Equal("rnn train", (string)byId["sweep"]["settings"]!["command"]!);        // a sweep's label: command and grid
        Assert.Equal("model=rnn length=4,5 seed=0", (string)byId["sweep"]["settings"]!["grid"]!);

        var times = list.Select(r => DateTime.Parse((string)r["modified"]!, null, System.Globalization.DateTimeStyles.RoundtripKind)).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal("stopped", (string)list[0]["id"]!);                                 // written last by the fixture
    }

    [Fact]
    public async Task ARunGivesItsConfigSummaryAndFilesWithTheirContentTypes()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var (status, _, body) = await Get(server.Address, "api/runs/group/gcn");
        Assert.Equal(HttpStatusCode.OK, status);
        var run = JsonNode.Parse(body)!.AsObject();
        Assert.True(JsonNode.DeepEquals(ReadJson(Path.Combine(runs.Run("group/gcn"), "config.json")), run["config"]));
        Assert.True(JsonNode.DeepEquals(ReadJson(Path.Combine(runs.Run("group/gcn"), "summary.json")), run["summary"]));
        var files = run["files"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Contains("embedding.svg", files);
        Assert.Contains("metrics_seed0.csv", files);
        Assert.DoesNotContain("seed-0", files);

        foreach (var (name, expected) in new[] { ("embedding.svg", "image/svg+xml"), ("metrics_seed0.csv", "text/csv"), ("summary.json", "application/json") })
        {
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri(server.Address, $"api/runs/group/gcn/files/{name}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Run("group/gcn"), name)), await response.Content.ReadAsByteArrayAsync());
        }
        var (mdStatus, mdType, md) = await Get(server.Address, "api/runs/text/files/samples.md");
        Assert.Equal(HttpStatusCode.OK, mdStatus);
        Assert.StartsWith("text/markdown", mdType);
        Assert.Equal(File.ReadAllText(Path.Combine(runs.Run("text"), "samples.md")), md);

        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/rnn/files/nope.svg")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/rnn/files/model.safetensors")).Status);   // not a file type the page shows
    }

    [Theory]
    [InlineData("/api/runs/../../outside/secret.json")]
    [InlineData("/api/runs/rnn/files/../../../outside/secret.json")]
    [InlineData("/api/runs/%2e%2e/outside/files/secret.json")]
    [InlineData("/api/runs/%2E%2E%2Foutside%2Fsecret.json")]
    [InlineData("/api/runs/rnn/files/..%2f..%2foutside%2fsecret.json")]
    [InlineData("/api/runs/rnn/files/%2e%2e%5c%2e%2e%5coutside%5csecret.json")]
    [InlineData("/api/runs/rnn\\..\\..\\outside/files/secret.json")]
    [InlineData("/api/runs//tmp/files/secret.json")]
    [InlineData("/api/runs/%2Ftmp/files/secret.json")]
    [InlineData("/api/runs/escape")]
    [InlineData("/api/runs/escape/files/secret.json")]
    [InlineData("/api/runs/rnn/files/leak.json")]
    [InlineData("/api/runs/rnn/files/.hidden")]
    [InlineData("/api/runs/rnn/files/%00config.json")]
    [InlineData("/..%2f..%2foutside/secret.json")]
    public async Task PathsOutOfTheRunsFolderAreRefused(string target)
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var (status, response) = await Raw(server.Address, RawGet(server.Address, target));
        Assert.True(status is 400 or 404, $"{target}: {status}");
        Assert.DoesNotContain(DashboardRunsFixture.Secret, response);
        // the same server still answers a good request
        Assert.Equal(200, (await Raw(server.Address, RawGet(server.Address, "/api/runs/rnn/files/config.json"))).Status);
    }

    [Fact]
    public async Task TheListSkipsLinksOutOfTheRunsFolder()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var (_, _, body) = await Get(server.Address, "api/runs");
        Assert.DoesNotContain("escape", body);
        Assert.DoesNotContain(DashboardRunsFixture.Secret, body);
        var (_, _, detail) = await Get(server.Address, "api/runs/rnn");
        Assert.DoesNotContain("leak.json", detail);
    }

    [Fact]
    public async Task OversizedRequestsOtherMethodsAndOtherHostsAreRefused()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var a = server.Address;
        Assert.Equal(414, (await Raw(a, RawGet(a, "/api/runs/" + new string('a', 10_000)))).Status);
        string bigHeader = $"GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:{a.Port}\r\nX-Big: {new string('b', 40_000)}\r\nConnection: close\r\n\r\n";
        Assert.Equal(431, (await Raw(a, bigHeader)).Status);
        string bigBody = $"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:{a.Port}\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n";
        Assert.True((await Raw(a, bigBody)).Status is 405 or 413);
        Assert.Equal(405, (await Raw(a, $"DELETE /api/runs/rnn HTTP/1.1\r\nHost: 127.0.0.1:{a.Port}\r\nConnection: close\r\n\r\n")).Status);
        Assert.Equal(400, (await Raw(a, RawGet(a, "/api/runs", host: "attacker.example"))).Status);
        Assert.Equal(200, (await Raw(a, RawGet(a, "/api/runs", host: $"localhost:{a.Port}"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(a, "api/runs")).Status);
    }

    [Fact]
    public async Task ARunWithoutSummaryIsRunningWhileItWritesAndFailedAfterwards()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "fresh", "old" })
        {
            Directory.CreateDirectory(dir.File(name));
            File.Copy(Path.Combine(runs.Run("rnn"), "config.json"), Path.Combine(dir.File(name), "config.json"));
            File.Copy(Path.Combine(runs.Run("rnn"), "metrics.csv"), Path.Combine(dir.File(name), "metrics.csv"));
        }
        foreach (var f in Directory.GetFiles(dir.File("old"))) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-2));
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path });
        var list = JsonNode.Parse((await Get(server.Address, "api/runs")).Body)!.AsArray();
        Assert.Equal(["fresh", "old"], list.Select(r => (string)r!["id"]!));
        Assert.Equal(["running", "failed"], list.Select(r => (string)r!["status"]!));
        Assert.All(list, r => Assert.Null(r!["figure"]));
    }

    [Fact]
    public async Task AMissingRunsFolderIsRefusedNamingTheOption()
    {
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => DashboardServer.StartAsync(new DashboardOptions { Runs = Path.Combine(runs.Outside, "none") }));
        Assert.StartsWith("--runs: ", e.Message);
    }

    [Fact]
    public async Task ThePageAndItsAssetsAreServedFromTheAssemblyWithTheIdsItsScriptsAndTestsUse()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var (status, type, page) = await Get(server.Address, "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/html", type);
        Assert.Equal(Encoding.UTF8.GetString(DashboardRequests.Asset("index.html")), page);
        foreach (var id in new[] { "id=\"runs\"", "id=\"kind-filter\"", "id=\"run-detail\"", "id=\"run-config\"", "id=\"run-summary\"", "id=\"run-plots\"" })
            Assert.Contains(id, page);
        var all = new StringBuilder(page);
        foreach (var (name, contentType) in DashboardRequests.PageAssets)
        {
            var (assetStatus, assetType, asset) = await Get(server.Address, "assets/" + name);
            Assert.Equal(HttpStatusCode.OK, assetStatus);
            Assert.Equal(contentType, assetType);
            Assert.Equal(Encoding.UTF8.GetString(DashboardRequests.Asset(name)), asset);
            Assert.Contains("/assets/" + name, page);
            all.Append(asset);
        }
        foreach (var cls in new[] { "\"run\"", "\"kind\"", "\"figure\"", "\"status status-\"", "dataset.id", "/api/runs" })
            Assert.Contains(cls, all.ToString());
        // nothing is fetched from elsewhere: no external scripts, styles, fonts or images
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", all.ToString());
        Assert.DoesNotMatch(@"(fetch\(|url\(|EventSource\()\s*[""'`]?(https?:)?//", all.ToString());
        Assert.DoesNotContain("@import", all.ToString());
        // no inline script runs: the policy allows only the page's own files
        Assert.DoesNotContain("<script>", page);
        string headers = (await Raw(server.Address, RawGet(server.Address, "/"))).Response;
        Assert.Contains("script-src 'self';", headers);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", headers);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "assets/index.cs")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "assets/")).Status);
    }
}
