using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>Links to files outside the runs folder, malformed summaries and unforeseen errors.</summary>
public sealed partial class DashboardServerTests
{
    [Fact]
    public async Task AConfigOrMetricsFileLinkedOutOfTheRunsFolderIsNeverRead()
    {
        using var dir = new TempDir();
        string secret = Path.Combine(runs.Outside, "secret.json");
        string evil = Path.Combine(dir.Path, "evil");
        DashboardLiveTests.CopyRun(runs.Run("rnn"), evil);
        File.Delete(Path.Combine(evil, RunFolder.ConfigFileName));
        File.CreateSymbolicLink(Path.Combine(evil, RunFolder.ConfigFileName), secret);
        File.Delete(Path.Combine(evil, RunFolder.MetricsFileName));
        File.CreateSymbolicLink(Path.Combine(evil, RunFolder.MetricsFileName), secret);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path });

        var (listed, _, list) = await Get(server.Address, "api/runs");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal("evil", (string)JsonNode.Parse(list)!.AsArray().Single()!["id"]!);   // a run still, from its summary
        var (status, _, detail) = await Get(server.Address, "api/runs/evil");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(JsonNode.Parse(detail)!["config"]);
        foreach (string path in new[] { "api/runs", "api/runs/evil", "api/runs/evil/files/config.json", "api/runs/evil/metrics",
                     "api/runs/evil/metrics?file=metrics.csv", "api/runs/evil/events", "api/runs/evil/files/metrics.csv" })
        {
            var (_, _, body) = await Get(server.Address, path);
            Assert.DoesNotContain(DashboardRunsFixture.Secret, body);
        }
    }

    [Fact]
    public async Task AMalformedSummaryListsAsMissingFiguresEvenInTheDevelopmentEnvironment()
    {
        using var dir = new TempDir();
        DashboardLiveTests.CopyRun(runs.Run("grad"), Path.Combine(dir.Path, "grad"));
        DashboardLiveTests.CopyRun(runs.Run("sweep"), Path.Combine(dir.Path, "sweep"));
        File.WriteAllText(Path.Combine(dir.Path, "grad", RunFolder.SummaryFileName), "{\"models\": [{\"model\": 5, \"trained_first_over_last\": \"x\"}]}");
        File.WriteAllText(Path.Combine(dir.Path, "sweep", RunFolder.SummaryFileName), "{\"trials\": \"x\", \"states\": [1], \"points\": [5, [1], {\"metric\": \"test_accuracy\", \"mean\": 0.5}, {\"metric\": 3, \"mean\": \"y\"}]}");
        string? before = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");
        try
        {
            await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path });
            var (status, _, body) = await Get(server.Address, "api/runs");
            Assert.Equal(HttpStatusCode.OK, status);
            var byId = JsonNode.Parse(body)!.AsArray().ToDictionary(r => (string)r!["id"]!);
            Assert.Null(byId["grad"]!["figure"]!["value"]);
            Assert.Equal(0.5, (double)byId["sweep"]!["figure"]!["value"]!);
            foreach (string path in new[] { "api/text-checkpoints", "api/runs/grad", "api/runs/sweep" })
            {
                var (s, _, b) = await Get(server.Address, path);
                Assert.Equal(HttpStatusCode.OK, s);
                Assert.DoesNotContain("   at ", b);
            }
        }
        finally { Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", before); }
    }

    /// <summary>A query that cannot be read, as an unforeseen fault would have it.</summary>
    private sealed class FailingQuery : Microsoft.AspNetCore.Http.Features.IQueryFeature
    {
        public IQueryCollection Query
        {
            get => throw new InvalidOperationException("boom\n   at Somewhere.cs:line 1");
            set { }
        }
    }

    [Fact]
    public async Task AnUnforeseenErrorIsAnsweredAs500WithOneLineAndNoStackTrace()
    {
        var handler = new DashboardRequests(new RunCatalog(runs.Runs, TimeSpan.FromMinutes(1)), loopbackOnly: false);
        using var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IQueryFeature>(new FailingQuery());
        context.Request.Method = "GET";
        context.Request.Path = "/api/runs/rnn/metrics";
        context.Response.Body = body;
        await handler.Handle(context);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        string text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal("internal error: InvalidOperationException: boom    at Somewhere.cs:line 1", (string)JsonNode.Parse(text)!["error"]!);
        Assert.DoesNotContain("\n", text);
    }
}
