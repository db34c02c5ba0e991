using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// The metrics API and the live event stream over real HTTP on a free port, on runs the real
/// commands wrote (<see cref="DashboardRunsFixture"/>) and on copies of them that a test extends
/// by hand as a trainer would (rows appended, then a summary); and the run list's cache.
/// </summary>
public sealed partial class DashboardLiveTests(DashboardRunsFixture runs) : IClassFixture<DashboardRunsFixture>
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Get(Uri address, string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address, path));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Copies run folder <paramref name="from"/> to <paramref name="to"/>, leaving out symbolic links.</summary>
    internal static void CopyRun(string from, string to, bool withSummary = true)
    {
        Directory.CreateDirectory(to);
        foreach (var file in new DirectoryInfo(from).EnumerateFiles())
            if (file.LinkTarget is null && (withSummary || file.Name != RunFolder.SummaryFileName))
                file.CopyTo(Path.Combine(to, file.Name));
    }

    /// <summary>Appends <paramref name="text"/> to <paramref name="path"/> and flushes it, as MetricsWriter does per row.</summary>
    internal static void Append(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static void AssertEqualsCsv(string csv, JsonNode json, int from = 0)
    {
        var table = MetricsTable.Read(csv);
        Assert.Equal(table.Columns, json["columns"]!.AsArray().Select(c => (string)c!));
        var rows = json["rows"]!.AsArray();
        Assert.Equal(table.RowCount - from, rows.Count);
        Assert.Equal(table.RowCount, (int)json["next"]!);
        for (int c = 0; c < table.Columns.Count; c++)
        {
            double[] expected = table.Column(table.Columns[c]);
            for (int r = 0; r < rows.Count; r++)
            {
                var cell = rows[r]![c];
                double value = cell is JsonValue v && v.TryGetValue(out double d) ? d : double.NaN;
                if (double.IsFinite(expected[r + from])) Assert.Equal(expected[r + from], value);
                else Assert.True(cell is null || cell.GetValueKind() == System.Text.Json.JsonValueKind.String, $"row {r} {table.Columns[c]}: {cell}");
            }
        }
    }

    [Fact]
    public async Task TheMetricsApiAnswersTheRunsCsvAndRefusesBadQueries()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs, Urls = "http://127.0.0.1:0" });
        var (status, rnn) = await Get(server.Address, "api/runs/rnn/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("metrics.csv", (string)rnn!["file"]!);
        AssertEqualsCsv(Path.Combine(runs.Run("rnn"), "metrics.csv"), rnn);
        Assert.Equal(RnnTrainingColumns, rnn["columns"]!.AsArray().Select(c => (string)c!));

        // ?from=N leaves out the first N rows; the columns come with them.
        var (_, tail) = await Get(server.Address, "api/runs/rnn/metrics?from=4");
        AssertEqualsCsv(Path.Combine(runs.Run("rnn"), "metrics.csv"), tail!, from: 4);
        Assert.Equal(4, (int)tail!["from"]!);

        // A graph run has one metrics file per seed; a sweep's results (with the model names as text) by name.
        var (_, graph) = await Get(server.Address, "api/runs/group/gcn/metrics");
        Assert.Equal("metrics_seed0.csv", (string)graph!["file"]!);
        AssertEqualsCsv(Path.Combine(runs.Run("group/gcn"), "metrics_seed0.csv"), graph);
        var (_, sweep) = await Get(server.Address, "api/runs/sweep/metrics?file=results.csv");
        Assert.Equal(1, (int)sweep!["rows"]![0]![0]!);          // trial 1
        Assert.Equal("rnn", (string)sweep["rows"]![0]![1]!);
        Assert.Contains("results.csv", sweep["files"]!.AsArray().Select(f => (string)f!));

        foreach (var (query, field) in new[] { ("from=-1", "from"), ("from=x", "from"), ("file=../x.csv", "file"), ("file=config.json", "file") })
        {
            var (code, body) = await Get(server.Address, "api/runs/rnn/metrics?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, code);
            Assert.StartsWith(field + ":", (string)body!["error"]!);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/rnn/metrics?file=nothing.csv")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/nothing/metrics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(server.Address, "api/runs/escape/metrics?file=secret.csv")).Status);
        Assert.DoesNotContain(DashboardRunsFixture.Secret, (await Get(server.Address, "api/runs/escape/metrics")).Body!.ToJsonString());
    }

    /// <summary>The fixture's rnn run copied into <paramref name="dir"/> as "run" without its summary (a run still training), its metrics file and row count.</summary>
    private (string Run, string Csv, int Rows) TrainingCopy(TempDir dir)
    {
        string run = Path.Combine(dir.Path, "run");
        CopyRun(runs.Run("rnn"), run, withSummary: false);
        string csv = Path.Combine(run, "metrics.csv");
        return (run, csv, MetricsTable.Read(csv).RowCount);
    }

    private static readonly string[] RnnTrainingColumns = SeqGraph.Experiments.Rnn.RnnTraining.MetricColumns;

    [Fact]
    public async Task APartlyWrittenLastLineIsNotReturnedUntilItsLineBreakIsThere()
    {
        using var dir = new TempDir();
        var (run, csv, before) = TrainingCopy(dir);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path, Urls = "http://127.0.0.1:0" });
        Append(csv, "31,0.25,0.");
        var (_, partial) = await Get(server.Address, "api/runs/run/metrics");
        Assert.Equal(before, partial!["rows"]!.AsArray().Count);
        Assert.Equal(before, (int)partial["next"]!);
        Append(csv, "75,0.01,0.5\n");
        var (_, whole) = await Get(server.Address, "api/runs/run/metrics?from=" + before);
        var row = Assert.Single(whole!["rows"]!.AsArray());
        Assert.Equal([31, 0.25, 0.75, 0.01, 0.5], row!.AsArray().Select(c => (double)c!));
    }

    [Fact]
    public async Task TheEventStreamSendsAnAppendedRowSoonAndEndsWithTheStatus()
    {
        using var dir = new TempDir();
        var (run, csv, before) = TrainingCopy(dir);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path, Urls = "http://127.0.0.1:0" });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(server.Address, "api/runs/run/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var (name, first) = await NextEvent(reader);
        Assert.Equal("metrics", name);
        Assert.True((bool)first!["start"]!);
        AssertEqualsCsv(csv, first);

        var clock = Stopwatch.StartNew();
        Append(csv, "999,0.125,0.875,0.5,12.5\n");
        var (name2, appended) = await NextEvent(reader);
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal("metrics", name2);
        var row = Assert.Single(appended!["rows"]!.AsArray());
        Assert.Equal([999, 0.125, 0.875, 0.5, 12.5], row!.AsArray().Select(c => (double)c!));
        Assert.Equal(before, (int)appended["from"]!);
        // Typically 0.1-0.3 s (bench/DashboardList measures it); the bound is loose for a loaded machine.
        Assert.True(seconds < 5, $"the appended row came after {seconds:F2} s");

        clock.Restart();
        File.Copy(Path.Combine(runs.Run("rnn"), "summary.json"), Path.Combine(run, "summary.json"));
        var (name3, status) = await NextEvent(reader);
        Assert.Equal("status", name3);
        Assert.Equal("finished", (string)status!["status"]!);
        Assert.True(clock.Elapsed.TotalSeconds < 5, $"the status came after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.NotNull(status["summary"]!["test_accuracy"]);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)));   // the stream ends
    }

    [Fact]
    public async Task OpenStreamsAreBoundedAndAClosedOneFreesItsPlace()
    {
        using var dir = new TempDir();
        CopyRun(runs.Run("rnn"), Path.Combine(dir.Path, "run"), withSummary: false);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path, Urls = "http://127.0.0.1:0" });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 100 }) { Timeout = TimeSpan.FromSeconds(30) };
        var uri = new Uri(server.Address, "api/runs/run/events");
        var open = new List<HttpResponseMessage>();
        for (int i = 0; i < LiveRequests.MaxStreams; i++)
        {
            var r = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            open.Add(r);
        }
        using (var refused = await http.GetAsync(uri))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("live streams", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!);
        }
        open[0].Dispose();
        var clock = Stopwatch.StartNew();
        HttpStatusCode again;
        do
        {
            using var r = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            again = r.StatusCode;
        } while (again != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, again);
        foreach (var r in open) r.Dispose();
    }

    [Fact]
    public void TheRunListCacheAnswersAsAFreshReadAndNoticesAChangedRun()
    {
        using var dir = new TempDir();
        foreach (string id in new[] { "rnn", "sweep", "text" }) CopyRun(runs.Run(id), Path.Combine(dir.Path, id));
        CopyRun(runs.Run("group/gcn"), Path.Combine(dir.Path, "group", "gcn"));
        var window = TimeSpan.FromMinutes(1);
        var cached = new RunCatalog(dir.Path, window);
        string Fresh() => new RunCatalog(dir.Path, window).List().ToJsonString();
        Assert.Equal(Fresh(), cached.List().ToJsonString());
        Assert.Equal(Fresh(), cached.List().ToJsonString());

        // A new summary (same folder, new figure) is seen at once, as is a removed summary and a removed run.
        string summary = Path.Combine(dir.Path, "rnn", "summary.json");
        var json = JsonNode.Parse(File.ReadAllText(summary))!;
        json["test_accuracy"] = 0.123456;
        File.WriteAllText(summary, json.ToJsonString());
        string list = cached.List().ToJsonString();
        Assert.Equal(Fresh(), list);
        Assert.Contains("0.1235", list);
        File.Delete(Path.Combine(dir.Path, "text", "summary.json"));
        list = cached.List().ToJsonString();
        Assert.Equal(Fresh(), list);
        Assert.Equal("running", (string)cached.List().Single(r => (string)r!["id"]! == "text")!["status"]!);
        Directory.Delete(Path.Combine(dir.Path, "sweep"), recursive: true);
        Assert.Equal(Fresh(), cached.List().ToJsonString());
        Assert.Equal(3, cached.List().Count);
    }

    /// <summary>The next server-sent event: its name and its data as JSON.</summary>
    internal static async Task<(string Name, JsonNode? Data)> NextEvent(StreamReader reader)
    {
        string name = "message";
        var data = new List<string>();
        while (true)
        {
            string? line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (line is null) throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Count > 0) return (name, JsonNode.Parse(string.Join('\n', data)));
                name = "message";
                continue;
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line[6..]);
        }
    }
}
