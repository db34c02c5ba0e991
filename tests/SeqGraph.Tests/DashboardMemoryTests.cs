using System.Net;
using System.Text.Json.Nodes;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>Runs alone (no other test allocates meanwhile), so the process's allocation count measures the server.</summary>
[CollectionDefinition(nameof(DashboardMemoryTests), DisableParallelization = true)]
public sealed class DashboardMemoryCollection;

/// <summary>
/// A 60 MB metrics CSV is answered with bounded memory: <c>/metrics</c> reads one page of rows
/// (skipping the rows before <c>from</c> without keeping them), and <c>/files/</c> streams the file.
/// The allocations of the whole test process (server and client) are measured around each request.
/// </summary>
[Collection(nameof(DashboardMemoryTests))]
public sealed class DashboardMemoryTests
{
    private const long Bound = 64L * 1024 * 1024;

    [Fact]
    public async Task ALargeCsvIsAnsweredAPageAtATimeAndServedStreamedWithBoundedAllocation()
    {
        using var dir = new TempDir();
        string run = Path.Combine(dir.Path, "big");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.json"), "{\"model\": \"rnn\", \"task\": \"parity\", \"length\": 5}");
        string csv = Path.Combine(run, "metrics.csv");
        int rows = 0;
        using (var writer = new StreamWriter(csv))
        {
            writer.Write("step,loss,accuracy,grad_norm,seconds\n");
            while (writer.BaseStream.Length < 60L * 1024 * 1024)
            {
                for (int i = 0; i < 1000; i++, rows++) writer.Write($"{rows},0.693147,0.515625,1.234567,{rows * 0.01:F2}\n");
                writer.Flush();
            }
        }
        long size = new FileInfo(csv).Length;
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        async Task<(long Allocated, byte[] Body)> Measure(string path)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            byte[] body = await http.GetByteArrayAsync(new Uri(server.Address, path));
            return (GC.GetTotalAllocatedBytes(precise: true) - before, body);
        }

        foreach (string path in new[] { "api/runs/big/metrics", $"api/runs/big/metrics?from={rows - 100}" })
        {
            var (allocated, body) = await Measure(path);
            var page = JsonNode.Parse(body)!;
            Assert.True(allocated < Bound, $"{path}: {allocated / 1e6:F0} MB allocated for a {size / 1e6:F0} MB CSV");
            Assert.Equal(path.Contains("from=") ? 100 : RunMetrics.MaxRows, page["rows"]!.AsArray().Count);
            Assert.Equal(path.Contains("from=") ? rows : RunMetrics.MaxRows, (int)page["next"]!);
            Assert.Equal(!path.Contains("from="), page["more"] is not null && (bool)page["more"]!);
        }

        GC.Collect();
        long start = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await http.GetAsync(new Uri(server.Address, "api/runs/big/files/metrics.csv"), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(size, response.Content.Headers.ContentLength);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) read += n;
            Assert.Equal(size, read);
        }
        long served = GC.GetTotalAllocatedBytes(precise: true) - start;
        Assert.True(served < Bound, $"serving the {size / 1e6:F0} MB file allocated {served / 1e6:F0} MB");

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(server.Address, "api/runs/big/files/metrics.csv")));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(size, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}
