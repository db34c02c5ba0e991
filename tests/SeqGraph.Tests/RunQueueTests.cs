using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// The run queue behind <c>POST /api/queue</c>, over the real server and real HTTP, with a launcher
/// whose runs step until told to stop: one run at a time, the next one queued, a queued run
/// cancelled, the running one cancelled (it writes its files, interrupted), a failing run marked
/// failed with its line while the server keeps serving, a bounded queue (503 while it stops), one
/// run per folder, and the refusals that keep other sites and other machines from starting runs.
/// </summary>
public sealed class RunQueueTests
{
    /// <summary>A launcher of runs that step every few milliseconds: "--steps" of them (0: until cancelled), or throw with "--fail".</summary>
    private sealed class SteppingLauncher : IRunLauncher
    {
        public IReadOnlyList<RunForm> Forms { get; } =
        [
            new RunForm("step", "Steps until done", [new RunFormField("--steps", "Steps (0: until cancelled)", "integer", "0", null, false),
                new RunFormField("--fail", "Throw at the first step", "flag", "false", null, false),
                new RunFormField("--out", "Run folder inside the runs folder", "text", null, null, false)]),
        ];

        private int made;

        public PreparedRun Prepare(string experiment, IReadOnlyDictionary<string, string> values, string runsRoot)
        {
            if (experiment != "step") throw new RunFormException(null, $"unknown experiment '{experiment}'");
            string text = values.GetValueOrDefault("--steps", "0");
            if (!int.TryParse(text, out int steps)) throw new RunFormException("--steps", $"--steps: '{text}' is not an integer");
            bool fail = values.GetValueOrDefault("--fail") == "true";
            string folder = Path.Combine(runsRoot, values.GetValueOrDefault("--out") is { Length: > 0 } given ? given : $"step-{Interlocked.Increment(ref made)}");
            Directory.CreateDirectory(folder);
            return new PreparedRun($"step {steps}", folder, (progress, cancel) =>
            {
                if (fail) throw new InvalidDataException("step 1: the data ran out\nsecond line");
                File.WriteAllText(Path.Combine(folder, "config.json"), $"{{\"steps\": {steps}}}");
                for (int k = 1; steps == 0 || k <= steps; k++)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        File.WriteAllText(Path.Combine(folder, "summary.json"), $"{{\"steps\": {k - 1}, \"interrupted\": true}}");
                        return new RunOutcome(true, $"{k - 1} steps");
                    }
                    progress.Report(new RunProgress(k, steps == 0 ? null : steps, "step", 1.0 / k, null));
                    Thread.Sleep(2);
                }
                File.WriteAllText(Path.Combine(folder, "summary.json"), $"{{\"steps\": {steps}}}");
                return new RunOutcome(false, $"{steps} steps");
            });
        }
    }

    private static Task<DashboardServer> Start(string runs, int maxQueued = 8, string urls = "http://127.0.0.1:0", bool network = false) =>
        DashboardServer.StartAsync(new DashboardOptions { Runs = runs, Launcher = new SteppingLauncher(), MaxQueuedRuns = maxQueued, Urls = urls, AllowRunsFromNetwork = network });

    /// <summary>POSTs as the page does: with this server's own Origin unless <paramref name="origin"/> says another ("": none).</summary>
    internal static async Task<(HttpStatusCode Status, JsonObject Body)> Post(DashboardServer server, string path, string body, string type = "application/json", string? origin = null,
        string? fetchSite = null, Uri? at = null)
    {
        at ??= server.Address;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(at, path)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(type);
        origin ??= at.GetLeftPart(UriPartial.Authority);
        if (origin.Length > 0) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<int> Enqueue(DashboardServer server, string values)
    {
        var (status, body) = await Post(server, "api/queue", $"{{\"experiment\": \"step\", \"values\": {values}}}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        return (int)body["id"]!;
    }

    private static async Task<JsonObject> Item(DashboardServer server, int id)
    {
        using var http = new HttpClient();
        var queue = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "api/queue")))!;
        return (JsonObject)queue["items"]!.AsArray().Single(i => (int)i!["id"]! == id)!;
    }

    /// <summary>Waits (up to 20 s) until run <paramref name="id"/> is in <paramref name="state"/>; fails saying what it was.</summary>
    private static async Task<JsonObject> WaitFor(DashboardServer server, int id, string state)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var item = await Item(server, id);
            if ((string)item["state"]! == state) return item;
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"run {id} is {item["state"]}, not {state}: {item.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task OneRunAtATimeTheNextQueuedAndEitherCanBeCancelled()
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path);
        int first = await Enqueue(server, "{\"--steps\": 0}");
        int second = await Enqueue(server, "{\"--steps\": \"5\"}");
        var running = await WaitFor(server, first, "running");
        Assert.Equal("queued", (string)(await Item(server, second))["state"]!);
        Assert.Equal("step-1", (string)running["run"]!);

        // progress rises while it runs
        long before = (long)(await WaitUntilProgress(server, first, 1))["progress"]!["done"]!;
        long after = (long)(await WaitUntilProgress(server, first, before + 5))["progress"]!["done"]!;
        Assert.True(after > before);

        // the queued one is dropped, its empty folder too; it never starts
        var (status, body) = await Post(server, $"api/queue/{second}/cancel", "{}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("cancelled", (string)body["state"]!);
        Assert.False(Directory.Exists(Path.Combine(runs.Path, "step-2")));

        // the running one stops after its step and writes what it has
        (status, _) = await Post(server, $"api/queue/{first}/cancel", "{}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var stopped = await WaitFor(server, first, "interrupted");
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Path, "step-1", "summary.json")))!;
        Assert.True((bool)summary["interrupted"]!);
        Assert.Equal($"{(int)summary["steps"]!} steps", (string)stopped["result"]!);
        Assert.Equal("cancelled", (string)(await Item(server, second))["state"]!);
        (status, body) = await Post(server, $"api/queue/{first}/cancel", "{}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already ended (interrupted)", (string)body["error"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Post(server, "api/queue/99/cancel", "{}")).Status);
    }

    private static async Task<JsonObject> WaitUntilProgress(DashboardServer server, int id, long done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var item = await Item(server, id);
            if (item["progress"] is JsonObject p && (long)p["done"]! >= done) return item;
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"run {id} did not reach step {done}: {item.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AFailingRunIsFailedWithItsLineAndTheServerGoesOn()
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path);
        int bad = await Enqueue(server, "{\"--fail\": true}");
        int good = await Enqueue(server, "{\"--steps\": 3}");
        var failed = await WaitFor(server, bad, "failed");
        Assert.Equal("step 1: the data ran out\\nsecond line", (string)failed["error"]!); // one line: the line break shown escaped
        Assert.False(Directory.Exists(Path.Combine(runs.Path, "step-1")), "a failed run that wrote nothing leaves no folder");
        var done = await WaitFor(server, good, "finished");
        Assert.Equal("3 steps", (string)done["result"]!);
        using var http = new HttpClient();
        using var runList = await http.GetAsync(new Uri(server.Address, "api/runs"));
        Assert.Equal(HttpStatusCode.OK, runList.StatusCode);
        using var page = await http.GetAsync(server.Address);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(File.Exists(Path.Combine(runs.Path, "step-2", "summary.json")));
    }

    [Fact]
    public async Task ABadValueIsA400NamingItsOptionAFullQueueA429AndAStoppingOneA503()
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path, maxQueued: 2);
        var (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {\"--steps\": \"many\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--steps: 'many' is not an integer", (string)body["error"]!);
        Assert.Equal("--steps", (string)body["option"]!);
        (status, body) = await Post(server, "api/queue", "{\"values\": {}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"experiment\"", (string)body["error"]!);
        (status, body) = await Post(server, "api/queue", "{\"experiment\": ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the request body is not JSON", (string)body["error"]!);

        int running = await Enqueue(server, "{}");
        await WaitFor(server, running, "running");
        int[] waiting = [await Enqueue(server, "{}"), await Enqueue(server, "{}")];
        (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {}}");
        Assert.Equal((HttpStatusCode)429, status);
        Assert.Equal("the queue is full (2 runs waiting); cancel one or wait for one to start", (string)body["error"]!);
        Assert.Equal(3, Directory.EnumerateDirectories(runs.Path).Count());

        // while the queue stops, a POST is told so (not that the queue is full)
        var stopping = server.Queue!.StopAsync(TimeSpan.FromMinutes(1));
        (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {}}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("the dashboard is stopping; no more runs are started", (string)body["error"]!);
        await stopping;

        // stopping the server cancels the waiting runs and waits for the running one to write its files
        await server.StopAsync();
        Assert.True(File.Exists(Path.Combine(runs.Path, "step-1", "summary.json")));
        Assert.All(waiting, id => Assert.False(Directory.Exists(Path.Combine(runs.Path, $"step-{id}"))));
    }

    [Fact]
    public async Task OnlyTheQueueTakesPostAndOnlyAsJsonFromThisOrigin()
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path);
        string start = "{\"experiment\": \"step\", \"values\": {\"--steps\": 1}}";
        var (status, body) = await Post(server, "api/runs", start);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Post(server, "api/forms", start)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Post(server, "", start)).Status);
        (status, body) = await Post(server, "api/queue", start, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("a POST must have Content-Type: application/json", (string)body["error"]!);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post(server, "api/queue", "experiment=step", "application/x-www-form-urlencoded")).Status);
        (status, body) = await Post(server, "api/queue", start, origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("another origin", (string)body["error"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(server, "api/queue/1/cancel", "{}", origin: "http://localhost:1")).Status);
        (status, _) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {\"--pad\": \"" + new string('x', 17 * 1024) + "\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runs.Path));

        // a POST that does not say where it comes from is refused; a same-origin fetch without Origin is not
        (status, body) = await Post(server, "api/queue", start, origin: "");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("a POST must say it comes from this page: send an Origin header naming this server", (string)body["error"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(server, "api/queue", start, origin: "", fetchSite: "cross-site")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(server, "api/queue/1/cancel", "{}", origin: "")).Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runs.Path));
        (status, body) = await Post(server, "api/queue", start, origin: "", fetchSite: "same-origin");
        Assert.Equal(HttpStatusCode.Accepted, status);
        await WaitFor(server, (int)body["id"]!, "finished");

        // this page's own origin may start a run; a cancel is never a GET
        (status, body) = await Post(server, "api/queue", start);
        Assert.Equal(HttpStatusCode.Accepted, status);
        await WaitFor(server, (int)body["id"]!, "finished");
        using var http = new HttpClient();
        using var get = await http.GetAsync(new Uri(server.Address, "api/queue/1/cancel"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", get.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task WithoutALauncherThePageOnlyShowsRuns()
    {
        using var runs = new TempDir();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Path });
        Assert.Null(server.Queue);
        using var http = new HttpClient();
        var forms = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "api/forms")))!;
        Assert.False((bool)forms["available"]!);
        Assert.Contains("seqgraph serve", (string)forms["note"]!);
        var (status, body) = await Post(server, "api/queue", "{\"experiment\": \"rnn train\"}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(QueueRequests.NoLauncher, (string)body["error"]!);
    }

    [Fact]
    public async Task ARunForTheFolderOfAQueuedOrRunningRunIsRefused()
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path);
        int first = await Enqueue(server, "{\"--out\": \"same\"}");
        int second = await Enqueue(server, "{\"--out\": \"other\"}");
        await WaitUntilProgress(server, first, 1);
        var (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {\"--out\": \"same\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--out", (string)body["option"]!);
        Assert.Equal($"--out: same is the folder of run {first}, which is running; give another folder, or wait for run {first} to end", (string)body["error"]!);
        (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {\"--out\": \"other\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"--out: other is the folder of run {second}, which is queued; give another folder, or wait for run {second} to end", (string)body["error"]!);

        // cancelling the queued one leaves the running one's folder alone; once a run has ended, its folder may be given again
        Assert.Equal(HttpStatusCode.Accepted, (await Post(server, $"api/queue/{second}/cancel", "{}")).Status);
        Assert.False(Directory.Exists(Path.Combine(runs.Path, "other")));
        Assert.True(File.Exists(Path.Combine(runs.Path, "same", "config.json")), "the running run's folder is its own");
        Assert.Equal(HttpStatusCode.Accepted, (await Post(server, $"api/queue/{first}/cancel", "{}")).Status);
        await WaitFor(server, first, "interrupted");
        Assert.True(File.Exists(Path.Combine(runs.Path, "same", "summary.json")));
        await WaitFor(server, await Enqueue(server, "{\"--out\": \"same\"}"), "running");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BeyondLoopbackRunsStartOnlyWhenAllowed(bool allowed)
    {
        using var runs = new TempDir();
        await using var server = await Start(runs.Path, urls: "http://0.0.0.0:0", network: allowed);
        var local = new Uri($"http://127.0.0.1:{server.Address.Port}/");
        using var http = new HttpClient();
        var forms = JsonNode.Parse(await http.GetStringAsync(new Uri(local, "api/forms")))!;
        Assert.Equal(allowed, (bool)forms["available"]!);
        var (status, body) = await Post(server, "api/queue", "{\"experiment\": \"step\", \"values\": {\"--steps\": 1}}", at: local);
        if (allowed)
        {
            Assert.NotNull(server.Queue);
            Assert.Equal(HttpStatusCode.Accepted, status);
            return;
        }
        Assert.Null(server.Queue);
        Assert.Equal(QueueRequests.NetworkRefused, (string)forms["note"]!);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(QueueRequests.NetworkRefused, (string)body["error"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(server, "api/queue/1/cancel", "{}", at: local)).Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runs.Path));
    }
}
