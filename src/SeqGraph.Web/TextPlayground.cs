using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;

namespace SeqGraph.Web;

/// <summary>
/// The text playground's API. <c>GET /api/text-checkpoints</c> lists the text runs under the runs
/// folder that hold a checkpoint (and their <c>best/</c>), with step and validation bpc.
/// <c>GET /api/sample?checkpoint=&lt;run id&gt;[&amp;best=1]&amp;prompt=…&amp;temperature=…&amp;top_k=…&amp;length=…&amp;seed=…</c>
/// samples with <see cref="TextSampleSession"/> — the same text as <c>text sample</c> with those
/// options — as server-sent events: <c>prompt</c> (the prompt, or the random first character), then
/// unnamed events with the text as it is sampled (the library's pieces: every line break and at least
/// every 50 ms), then <c>done</c> with the speed, or <c>error</c>. Bad settings get 400 with the command
/// line's one-line message; at most <see cref="MaxConcurrent"/> samplings run at once (503 beyond);
/// a client that goes away, or the server stopping, cancels its sampling. At most
/// <paramref name="maxLength"/> characters are sampled per request.
/// </summary>
public sealed class TextPlayground(RunCatalog catalog, int maxLength = SampleQuery.MaxLength)
{
    /// <summary>The checkpoint list's path.</summary>
    public const string CheckpointsPath = "/api/text-checkpoints";

    /// <summary>The sampling stream's path.</summary>
    public const string SamplePath = "/api/sample";

    /// <summary>Samplings served at the same time (the machine's cores are few); more get 503.</summary>
    public const int MaxConcurrent = 2;

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly TextModelCache _models = new();

    /// <summary>Whether <paramref name="path"/> is one of the playground's.</summary>
    public static bool Serves(string path) => path is CheckpointsPath or SamplePath;

    /// <summary>Answers a request for one of the playground's paths (<see cref="Serves"/>).</summary>
    public Task Handle(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.Value == CheckpointsPath) return Json(context.Response, 200, Checkpoints());
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            return Error(context.Response, StatusCodes.Status405MethodNotAllowed, "the sample stream is answered to GET only", null);
        }
        return Sample(context);
    }

    /// <summary>Every text run holding a checkpoint, newest first, each followed by its best checkpoint when it has one.</summary>
    public JsonArray Checkpoints()
    {
        var list = new JsonArray();
        foreach (var run in catalog.List())
        {
            if ((string?)run?["kind"] != "text" || (string?)run["id"] is not { } id) continue;
            if (RunPaths.RunFolder(catalog.Root, id) is not { } folder) continue;
            var summary = ReadJson(folder, RunFolder.SummaryFileName);
            if (Describe(id, folder, false, summary) is { } latest) list.Add(latest);
            if (Describe(id, Path.Combine(folder, "best"), true, null) is { } best) list.Add(best);
        }
        return list;
    }

    /// <summary>The folder of checkpoint <paramref name="id"/> (its best/ with <paramref name="best"/>), or null when there is none to load.</summary>
    public string? CheckpointFolder(string id, bool best)
    {
        if (RunPaths.RunFolder(catalog.Root, id) is not { } folder || RunDescription.Kind(folder) != "text") return null;
        if (best)
        {
            var info = new DirectoryInfo(Path.Combine(folder, "best"));
            if (!info.Exists || info.LinkTarget is not null) return null;
            folder = info.FullName;
        }
        return HasCheckpoint(folder) ? folder : null;
    }

    private bool HasCheckpoint(string folder) =>
        RunPaths.RunFile(catalog.Root, folder, Checkpoint.TensorsFileName) is not null && RunPaths.RunFile(catalog.Root, folder, Checkpoint.SidecarFileName) is not null;

    private JsonObject? Describe(string id, string folder, bool best, JsonObject? summary)
    {
        var info = new DirectoryInfo(folder);
        if (!info.Exists || info.LinkTarget is not null || !HasCheckpoint(folder)) return null;
        var sidecar = ReadJson(folder, Checkpoint.SidecarFileName);
        if ((string?)sidecar?["kind"] != Training.TextCheckpoint.Kind || sidecar!["step"] is not JsonValue s || !s.TryGetValue(out int step)) return null;
        double? bpc = best
            ? Number(sidecar["best"]?["val_loss"]) / Math.Log(2)
            : Number(summary?["val_bpc"]);
        int? vocabulary = sidecar["model"]?["vocabulary"] is JsonValue v && v.TryGetValue(out int n) ? n : null;
        string label = $"{id}{(best ? " (best)" : "")} · step {step}" + (bpc is { } b ? FormattableString.Invariant($" · val bpc {b:0.000}") : "");
        return new JsonObject
        {
            ["id"] = id, ["best"] = best, ["label"] = label, ["step"] = step, ["val_bpc"] = bpc is { } x ? Math.Round(x, 6) : null,
            ["vocabulary"] = vocabulary, ["characters"] = (string?)sidecar["vocabulary_text"],
        };
    }

    private async Task Sample(HttpContext context)
    {
        var query = context.Request.Query;
        var response = context.Response;
        string id = query["checkpoint"].ToString();
        if (id.Length == 0) { await Error(response, 400, "--checkpoint: no checkpoint given (a text run's id from /api/text-checkpoints)", "--checkpoint"); return; }
        if (RunPaths.SplitId(id) is null) { await Error(response, 400, $"--checkpoint: '{id}' is not a run id", "--checkpoint"); return; }
        TextSampleConfig config;
        string? folder;
        try
        {
            bool best = SampleQuery.Best(query);
            folder = CheckpointFolder(id, best);
            if (folder is null) { await Error(response, 404, $"--checkpoint: {id}{(best ? "/best" : "")} holds no text checkpoint", "--checkpoint"); return; }
            config = SampleQuery.Parse(query, folder, maxLength);
        }
        catch (ConfigException e) { await Error(response, 400, e.Message, e.Option); return; }
        if (!_slots.Wait(0))
        {
            await Error(response, StatusCodes.Status503ServiceUnavailable, $"{MaxConcurrent} samplings are under way, the most served at once; try again when one ends", null);
            return;
        }
        try { await Stream(context, config); }
        finally { _slots.Release(); }
    }

    private async Task Stream(HttpContext context, TextSampleConfig config)
    {
        var response = context.Response;
        TextSampleSession session;
        try { session = TextSampleSession.Open(config, _models.Load(config.Checkpoint)); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await Error(response, 400, "--checkpoint: " + e.Message, "--checkpoint");
            return;
        }
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var pieces = Channel.CreateUnbounded<TextSampleProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var clock = Stopwatch.StartNew();
        var work = Task.Run(() =>
        {
            try { return session.Sample(config.Prompt, config.Seed, Reporter.Create<TextSampleProgress>(p => pieces.Writer.TryWrite(p)), cancel.Token); }
            finally { pieces.Writer.Complete(); }
        });
        try
        {
            // nothing is sent before the first piece: a prompt the model cannot read is still a 400
            if (!await pieces.Reader.WaitToReadAsync(CancellationToken.None))
            {
                try { await work; }
                catch (ConfigException e) { await Error(response, 400, e.Message, e.Option); return; }
                catch (InvalidDataException e) { await Error(response, 400, "--checkpoint: " + e.Message, "--checkpoint"); return; }   // e.g. its outputs are not finite
            }
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            int headLength = -1;
            long characters = 0;
            var text = new System.Text.StringBuilder();
            while (await pieces.Reader.WaitToReadAsync(CancellationToken.None))
            {
                text.Clear();
                while (pieces.Reader.TryRead(out var piece)) text.Append(piece.Text);
                if (headLength < 0 && text.Length > 0)
                {
                    headLength = config.Prompt?.Length ?? (char.IsHighSurrogate(text[0]) ? 2 : 1);
                    await Event(response, "prompt", new JsonObject { ["text"] = text.ToString(0, headLength) }, cancel.Token);
                    text.Remove(0, headLength);
                }
                if (text.Length == 0) continue;
                characters += text.Length;
                await Event(response, null, new JsonObject { ["text"] = text.ToString() }, cancel.Token);
            }
            var result = await work;
            double seconds = clock.Elapsed.TotalSeconds;
            await Event(response, "done", new JsonObject
            {
                ["characters"] = characters, ["seconds"] = Math.Round(seconds, 4), ["step"] = result.Step,
                ["chars_per_second"] = Math.Round(characters / Math.Max(seconds, 1e-9), 1),
            }, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested) { }
        catch (Exception e) when (e is not OperationCanceledException && !response.HasStarted)
        {
            await Error(response, StatusCodes.Status500InternalServerError, "sampling failed: " + e.Message, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try { await Event(response, "error", new JsonObject { ["error"] = e.Message }, CancellationToken.None); }
            catch (IOException) { }
        }
        finally
        {
            cancel.Cancel();
            // the slot is given back only once the sampler has stopped
            await Task.WhenAny(work);
        }
    }

    private static async Task Event(HttpResponse response, string? name, JsonObject data, CancellationToken cancel)
    {
        string frame = (name is null ? "" : $"event: {name}\n") + $"data: {data.ToJsonString()}\n\n";
        await response.WriteAsync(frame, cancel);
        await response.Body.FlushAsync(cancel);
    }

    private static Task Json(HttpResponse response, int status, JsonNode node)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(node.ToJsonString());
    }

    private static Task Error(HttpResponse response, int status, string message, string? option) =>
        Json(response, status, new JsonObject { ["error"] = message, ["option"] = option });

    private static JsonObject? ReadJson(string folder, string name)
    {
        try { return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, name))) as JsonObject; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
