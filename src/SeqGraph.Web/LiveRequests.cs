using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SeqGraph.IO;

namespace SeqGraph.Web;

/// <summary>
/// A run's curves, read and followed: <c>GET /api/runs/{id}/metrics</c> answers the run's CSV as
/// <see cref="RunMetrics"/> JSON, and <c>GET /api/runs/{id}/events</c> follows it as server-sent
/// events — a <c>metrics</c> event with the header and the rows so far (marked <c>"start": true</c>:
/// what the page held before is replaced by it), then one per batch of new
/// rows (the file's length is polled every <see cref="PollInterval"/>; a file that shrank, as when
/// a run is restarted, is sent again from its start with <c>"reset": true</c>), and finally a
/// <c>status</c> event with the run's status and summary once <c>summary.json</c> appears, after
/// which the stream ends; it ends the same way, with status "failed" or "gone" and no summary, when the
/// catalog calls the run failed (no summary and nothing written for its running window) or the folder
/// is removed. A CSV is read <see cref="RunMetrics.MaxRows"/> rows at a time, streamed from the
/// last offset, and at most <see cref="MaxReads"/> <c>/metrics</c> answers are read at once. Both take <c>?from=N</c> (leave out the first N rows) and
/// <c>?file=NAME.csv</c> (another CSV of the run; by default <see cref="RunMetrics.DefaultFile"/>).
/// At most <see cref="MaxStreams"/> streams are open at once; beyond that the answer is 503.
/// </summary>
public sealed class LiveRequests(RunCatalog catalog)
{
    /// <summary>Most event streams open at once.</summary>
    public const int MaxStreams = 32;

    /// <summary>How often a followed file's length is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Most <c>/metrics</c> answers read at once; more wait up to a few seconds, then get 503.</summary>
    public const int MaxReads = 4;

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim reads = new(MaxReads);
    private int open;

    /// <summary>Event streams open now.</summary>
    public int OpenStreams => Volatile.Read(ref open);

    /// <summary>
    /// Answers the request when <paramref name="parts"/> (the path after <c>/api/runs/</c>, split at
    /// '/') ends in <c>metrics</c> or <c>events</c> after a run id; false (nothing written) otherwise.
    /// </summary>
    public async Task<bool> TryHandle(HttpContext context, string[] parts)
    {
        if (parts.Length < 2 || parts[^1] is not ("metrics" or "events")) return false;
        string id = string.Join('/', parts[..^1]);
        if (RunPaths.SplitId(id) is null || RunPaths.RunFolder(catalog.Root, id) is not { } folder || RunDescription.Kind(folder) is null)
            return false;
        var query = context.Request.Query;
        int from = 0;
        if (query.TryGetValue("from", out var f) && !int.TryParse(f.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            await Error(context.Response, StatusCodes.Status400BadRequest, "from: give the number of rows already read, a whole number ≥ 0");
            return true;
        }
        string? file = null;
        if (query.TryGetValue("file", out var named))
        {
            file = named.ToString();
            if (!RunPaths.IsPlainName(file) || !file.EndsWith(".csv", StringComparison.Ordinal))
            {
                await Error(context.Response, StatusCodes.Status400BadRequest, "file: give the name of one of the run's .csv files, e.g. metrics.csv");
                return true;
            }
        }
        if (parts[^1] == "metrics") await Metrics(context, id, folder, file, from);
        else await Events(context, id, folder, file, from);
        return true;
    }

    private async Task Metrics(HttpContext context, string id, string folder, string? file, int from)
    {
        file ??= RunMetrics.DefaultFile(folder);
        string? path = file is null ? null : RunPaths.RunFile(catalog.Root, folder, file);
        if (file is null || path is null)
        {
            await Error(context.Response, StatusCodes.Status404NotFound, $"run {id} has no {file ?? "metrics CSV"} yet");
            return;
        }
        if (!await reads.WaitAsync(ReadWait, context.RequestAborted))
        {
            context.Response.Headers.RetryAfter = "2";
            await Error(context.Response, StatusCodes.Status503ServiceUnavailable, $"more than {MaxReads} metrics reads are under way; try again shortly");
            return;
        }
        try
        {
            var page = new System.Buffers.ArrayBufferWriter<byte>();
            try
            {
                using var writer = new Utf8JsonWriter(page);
                RunMetrics.Write(writer, path, file, from, RunMetrics.MaxRows, w =>
                {
                    w.WriteStartArray("files");
                    foreach (string n in RunMetrics.CsvFiles(folder)) w.WriteStringValue(n);
                    w.WriteEndArray();
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Error(context.Response, StatusCodes.Status404NotFound, $"run {id}: {file} cannot be read");
                return;
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentLength = page.WrittenCount;
            if (HttpMethods.IsGet(context.Request.Method)) await context.Response.Body.WriteAsync(page.WrittenMemory, context.RequestAborted);
        }
        finally { reads.Release(); }
    }

    private async Task Events(HttpContext context, string id, string folder, string? named, int from)
    {
        var response = context.Response;
        if (Interlocked.Increment(ref open) > MaxStreams)
        {
            Interlocked.Decrement(ref open);
            response.Headers.RetryAfter = "5";
            await Error(response, StatusCodes.Status503ServiceUnavailable, $"more than {MaxStreams} live streams are open; close some of the dashboard's tabs");
            return;
        }
        try
        {
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            if (HttpMethods.IsHead(context.Request.Method)) return;
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            await Follow(response, id, folder, named, from, linked.Token);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally { Interlocked.Decrement(ref open); }
    }

    private async Task Follow(HttpResponse response, string id, string folder, string? named, int from, CancellationToken cancel)
    {
        string? file = named;
        string[]? columns = null;
        long offset = 0;
        int rows = 0;
        var quiet = DateTime.UtcNow;
        var looked = DateTime.UtcNow;
        await response.WriteAsync("retry: 2000\n\n", cancel);
        await response.Body.FlushAsync(cancel);
        while (true)
        {
            bool finished = File.Exists(Path.Combine(folder, RunFolder.SummaryFileName));
            bool more = false;
            file ??= RunMetrics.DefaultFile(folder);
            if (file is not null && RunPaths.RunFile(catalog.Root, folder, file) is { } path)
            {
                bool reset = false;
                try
                {
                    if (new FileInfo(path).Length < offset) (columns, offset, rows, reset) = (null, 0, 0, true);
                    var (header, lines, end, left) = RunMetrics.ReadLines(path, offset);
                    more = left;
                    if (header is not null) columns = header;
                    if (columns is not null && (lines.Count > 0 || header is not null || reset))
                    {
                        bool send = header is not null || reset || lines.Skip(Math.Max(0, from - rows)).Any();
                        if (send)
                        {
                            var page = new System.Buffers.ArrayBufferWriter<byte>();
                            using (var writer = new Utf8JsonWriter(page))
                                RunMetrics.WriteJson(writer, file, columns, lines, reset ? 0 : from, rows, rows + lines.Count, more, w =>
                                {
                                    if (header is not null) w.WriteBoolean("start", true);
                                    if (reset) w.WriteBoolean("reset", true);
                                });
                            await Send(response, "metrics", page.WrittenMemory, cancel);
                            quiet = DateTime.UtcNow;
                        }
                        rows += lines.Count;
                        offset = end;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
            if (more) continue;
            if (finished || !Directory.Exists(folder))
            {
                var detail = finished ? catalog.Detail(id) : null;
                await Send(response, "status", new JsonObject { ["status"] = detail?["status"]?.DeepClone() ?? "gone", ["summary"] = detail?["summary"]?.DeepClone() }, cancel);
                return;
            }
            // A run that stopped without a summary (the catalog calls it failed) will not get one: end too.
            if (DateTime.UtcNow - looked >= StatusEvery)
            {
                looked = DateTime.UtcNow;
                string? status = (string?)catalog.Detail(id)?["status"];
                if (status is null or "failed")
                {
                    await Send(response, "status", new JsonObject { ["status"] = status ?? "gone", ["summary"] = null }, cancel);
                    return;
                }
            }
            if (DateTime.UtcNow - quiet > KeepAlive)
            {
                await response.WriteAsync(": still here\n\n", cancel);
                await response.Body.FlushAsync(cancel);
                quiet = DateTime.UtcNow;
            }
            await Task.Delay(PollInterval, cancel);
        }
    }

    private static Task Send(HttpResponse response, string name, JsonObject data, CancellationToken cancel) =>
        Send(response, name, System.Text.Encoding.UTF8.GetBytes(data.ToJsonString()), cancel);

    private static async Task Send(HttpResponse response, string name, ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        await response.WriteAsync($"event: {name}\ndata: ", cancel);
        await response.Body.WriteAsync(data, cancel);
        await response.WriteAsync("\n\n", cancel);
        await response.Body.FlushAsync(cancel);
    }

    private static Task Error(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString());
    }
}
