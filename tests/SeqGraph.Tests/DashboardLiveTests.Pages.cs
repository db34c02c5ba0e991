using System.Net;
using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>Paged metrics and the end of a stream for a run that will never finish.</summary>
public sealed partial class DashboardLiveTests
{
    private static string LongRun(TempDir dir, DashboardRunsFixture runs, int rows, bool withSummary)
    {
        string run = Path.Combine(dir.Path, "long");
        CopyRun(runs.Run("rnn"), run, withSummary);
        string csv = Path.Combine(run, "metrics.csv");
        string header = File.ReadLines(csv).First();
        int width = header.Split(',').Length;
        using var writer = new StreamWriter(csv);
        writer.Write(header + "\n");
        for (int i = 0; i < rows; i++) writer.Write(i + string.Concat(Enumerable.Repeat(",0.5", width - 1)) + "\n");
        return run;
    }

    [Fact]
    public async Task ACsvLongerThanAPageComesInPagesThatMakeUpTheFileOverTheApiAndTheStream()
    {
        using var dir = new TempDir();
        int total = 2 * RunMetrics.MaxRows + 123;
        LongRun(dir, runs, total, withSummary: true);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path });

        var steps = new List<double>();
        int pages = 0;
        string next = "api/runs/long/metrics";
        while (true)
        {
            var (status, page) = await Get(server.Address, next);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(5, page!["columns"]!.AsArray().Count);
            var rows = page["rows"]!.AsArray();
            Assert.True(rows.Count <= RunMetrics.MaxRows);
            steps.AddRange(rows.Select(r => (double)r![0]!));
            pages++;
            if (page["more"] is null) break;
            next = "api/runs/long/metrics?file=metrics.csv&from=" + (int)page["next"]!;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (double)i), steps);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(server.Address, "api/runs/long/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var streamed = new List<double>();
        while (true)
        {
            var (name, data) = await NextEvent(reader);
            if (name == "status") { Assert.Equal("finished", (string)data!["status"]!); break; }
            Assert.True(data!["rows"]!.AsArray().Count <= RunMetrics.MaxRows);
            streamed.AddRange(data["rows"]!.AsArray().Select(r => (double)r![0]!));
        }
        Assert.Equal(steps, streamed);
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("gone")]
    public async Task TheStreamOfARunThatWillNotFinishEndsWithItsStatus(string end)
    {
        using var dir = new TempDir();
        string run = Path.Combine(dir.Path, "run");
        CopyRun(runs.Run("rnn"), run, withSummary: false);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions
        {
            Runs = dir.Path,
            RunningWindow = end == "failed" ? TimeSpan.FromSeconds(1) : TimeSpan.FromHours(1),
        });
        File.SetLastWriteTimeUtc(Path.Combine(run, "metrics.csv"), DateTime.UtcNow);   // running for now
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(server.Address, "api/runs/run/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("metrics", (await NextEvent(reader)).Name);
        if (end == "gone") Directory.Delete(run, recursive: true);
        var (name, status) = await NextEvent(reader);
        Assert.Equal("status", name);
        Assert.Equal(end, (string)status!["status"]!);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)));   // the stream ends
    }
}
