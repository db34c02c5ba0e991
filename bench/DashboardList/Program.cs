// How fast `seqgraph serve` lists a large runs folder (issue 14): makes three real small runs through
// the library (rnn train, rnn sweep, rnn gradients), copies them into N run folders (default 1,000,
// in groups of 100 as a user's grouped runs would be), starts the dashboard on a free port and
// times the start (the server reads every run once before it answers) and GET /api/runs over HTTP:
// the first request (a new connection, the request path not yet compiled) separately, then the median and
// p95 of the next ones. Then the live stream's latency: a trainer-like writer appends a metrics row
// every ~100 ms to a copy of the rnn train run (without its summary) while a client follows
// /api/runs/{id}/events; each row's arrival is timed against its write (median, p95, max over --rows).
//
//   dotnet run -c Release --project bench/DashboardList -- [--runs 1000] [--requests 50] [--rows 60]
//
// The runs folder is made under the system temp folder and removed at the end.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Rnn;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Web;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int count = 1000, requests = 50, liveRows = 60;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out count) && count > 0: i++; break;
        case "--requests" when i + 1 < args.Length && int.TryParse(args[i + 1], out requests) && requests > 0: i++; break;
        case "--rows" when i + 1 < args.Length && int.TryParse(args[i + 1], out liveRows) && liveRows > 0: i++; break;
        default:
            Console.Error.WriteLine($"unknown or bad option {args[i]}; usage: [--runs N] [--requests N] [--rows N]");
            return 2;
    }
}

string root = Path.Combine(Path.GetTempPath(), "seqgraph-dashboard-list-" + Guid.NewGuid().ToString("N"));
try
{
    string seeds = Path.Combine(root, "seeds"), runs = Path.Combine(root, "runs");
    var train = new RnnTrainConfig { Length = 5, Hidden = 8, Steps = 20, TestSamples = 50, Threads = 1 };
    RnnTraining.Run(train, RunFolder.Create(Path.Combine(seeds, "train")));
    RnnGradients.Run(new RnnGradientsConfig { Models = [RecurrentModel.Rnn], AfterSteps = 3, Train = train },
        RunFolder.Create(Path.Combine(seeds, "gradients")));
    string[] kinds = Directory.GetDirectories(seeds).Order(StringComparer.Ordinal).ToArray();
    for (int i = 0; i < count; i++)
    {
        string to = Path.Combine(runs, $"group{i / 100:D2}", $"run{i:D4}");
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(kinds[i % kinds.Length]))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
    int files = Directory.GetFiles(runs, "*", SearchOption.AllDirectories).Length;

    var started = Stopwatch.StartNew();
    await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs, Urls = "http://127.0.0.1:0" });
    double start = started.Elapsed.TotalMilliseconds;   // the server reads the runs once before it answers
    using var http = new HttpClient();
    var uri = new Uri(server.Address, "api/runs");
    var clock = Stopwatch.StartNew();
    string body = await http.GetStringAsync(uri);
    double first = clock.Elapsed.TotalMilliseconds;
    int listed = JsonNode.Parse(body)!.AsArray().Count;
    if (listed != count) throw new InvalidOperationException($"the list has {listed} runs, expected {count}");
    var times = new List<double>();
    for (int i = 0; i < requests; i++)
    {
        clock.Restart();
        await http.GetStringAsync(uri);
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    // The same list read with nothing kept (a new catalog each time, as every request did before the cache), in process.
    var fresh = new List<double>();
    for (int i = 0; i < Math.Min(requests, 20); i++)
    {
        clock.Restart();
        new RunCatalog(runs, TimeSpan.FromMinutes(1)).List().ToJsonString();
        fresh.Add(clock.Elapsed.TotalMilliseconds);
    }
    var (median, p95) = Stats(times);
    var (freshMedian, freshP95) = Stats(fresh);
    Console.WriteLine($"{count} runs ({files} files, {body.Length / 1024} KiB of JSON): server start {start:F0} ms (reads every run once); first request {first:F0} ms; " +
                      $"next {requests}: median {median:F1} ms, p95 {p95:F1} ms, max {times.Max():F1} ms; " +
                      $"uncached read in process ({fresh.Count}): median {freshMedian:F1} ms, p95 {freshP95:F1} ms");

    // Live latency: rows written to a run as the trainer writes them (one flushed append each), timed to their arrival on /events.
    string live = Path.Combine(runs, "live");
    Directory.CreateDirectory(live);
    foreach (string file in Directory.GetFiles(Path.Combine(seeds, "train")).Where(f => Path.GetFileName(f) != RunFolder.SummaryFileName))
        File.Copy(file, Path.Combine(live, Path.GetFileName(file)));
    string csv = Path.Combine(live, RunFolder.MetricsFileName);
    string last = File.ReadLines(csv).Last();
    string rest = last[last.IndexOf(',', StringComparison.Ordinal)..];
    using var stream = new StreamReader(await http.GetStreamAsync(new Uri(server.Address, "api/runs/live/events")));
    var written = new double[liveRows];
    var arrived = new double[liveRows];
    var writing = Task.Run(async () =>
    {
        await Task.Delay(500);   // the stream's first event (the rows so far) comes first
        for (int i = 0; i < liveRows; i++)
        {
            using (var append = new FileStream(csv, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                append.Write(System.Text.Encoding.UTF8.GetBytes($"{1_000_000 + i}{rest}\n"));
                written[i] = clock.Elapsed.TotalMilliseconds;
            }
            await Task.Delay(100);
        }
    });
    clock.Restart();
    int seen = 0;
    while (seen < liveRows && await stream.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
    {
        if (!line.StartsWith("data: ", StringComparison.Ordinal) || JsonNode.Parse(line[6..])!["rows"] is not JsonArray rows) continue;
        double now = clock.Elapsed.TotalMilliseconds;
        foreach (var row in rows)
            if ((int)(double)row![0]! - 1_000_000 is var k && k >= 0 && k < liveRows) { arrived[k] = now; seen++; }
    }
    await writing;
    var latency = Enumerable.Range(0, liveRows).Select(i => arrived[i] - written[i]).ToList();
    var (lMedian, lP95) = Stats(latency);
    Console.WriteLine($"live rows on /events ({liveRows} rows, one every ~100 ms, poll {LiveRequests.PollInterval.TotalMilliseconds:F0} ms): " +
                      $"write to arrival median {lMedian:F0} ms, p95 {lP95:F0} ms, max {latency.Max():F0} ms");
    return 0;
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

static (double Median, double P95) Stats(List<double> values)
{
    var v = values.Order().ToList();
    double median = v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    return (median, v[Math.Min(v.Count - 1, (int)Math.Ceiling(0.95 * v.Count) - 1)]);
}
