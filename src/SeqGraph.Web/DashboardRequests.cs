using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SeqGraph.Web;

/// <summary>
/// Answers the dashboard's requests. The path is parsed here rather than by routing so that every
/// refusal is explicit: a raw request target holding <c>..</c>, a backslash or an encoded dot,
/// slash or backslash is refused with 400 before anything else; run ids and file names then go
/// through <see cref="RunPaths"/> (400 when malformed, 404 when there is no such run or file).
/// When the server listens on loopback only, requests naming another host are refused too, so a
/// web page elsewhere cannot reach the runs through DNS rebinding.
/// </summary>
public sealed class DashboardRequests(RunCatalog catalog, bool loopbackOnly, QueueRequests? queue = null, int sampleMaxLength = SampleQuery.MaxLength)
{
    private const string ApiRuns = "/api/runs";
    private static readonly string[] EncodedDangers = ["%2e", "%2f", "%5c", "%00", "..", "\\"];
    private const string AssetsPrefix = "/assets/";
    private static readonly Lazy<byte[]> Page = new(() => Asset("index.html"));
    private readonly GraphViewRequests graphView = new(catalog);
    private readonly TextPlayground playground = new(catalog, sampleMaxLength);
    private readonly LiveRequests live = new(catalog);

    /// <summary>The page's scripts and styles, served under <c>/assets/</c>, and their content types.</summary>
    public static readonly IReadOnlyDictionary<string, string> PageAssets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.css"] = "text/css; charset=utf-8",
        ["common.js"] = "text/javascript; charset=utf-8",
        ["runs.js"] = "text/javascript; charset=utf-8",
        ["graph.js"] = "text/javascript; charset=utf-8",
        ["playground.js"] = "text/javascript; charset=utf-8",
        ["start.js"] = "text/javascript; charset=utf-8",
        ["plot.js"] = "text/javascript; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
    };

    private static readonly Dictionary<string, Lazy<byte[]>> AssetBytes =
        PageAssets.Keys.ToDictionary(k => k, k => new Lazy<byte[]>(() => Asset(k)), StringComparer.Ordinal);

    /// <summary>The embedded asset <paramref name="name"/> (from the Assets folder) as bytes.</summary>
    public static byte[] Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"SeqGraph.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"the dashboard asset {name} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Answers one request. Anything that goes wrong unforeseen is answered 500 with one line
    /// <c>{"error": "internal error: Type: message"}</c> (no stack trace) when the answer has not started.
    /// </summary>
    public async Task Handle(HttpContext context)
    {
        try { await HandleRequest(context); }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested) { }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Error(context.Response, StatusCodes.Status500InternalServerError, $"internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private async Task HandleRequest(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !(HttpMethods.IsPost(request.Method) && QueueRequests.TakesPost(request.Path.Value ?? "")))
        {
            response.Headers.Allow = "GET, HEAD";
            await Error(response, StatusCodes.Status405MethodNotAllowed, "only GET and HEAD are served");
            return;
        }
        if (loopbackOnly && !IsLoopbackHost(request.Host.Host))
        {
            await Error(response, StatusCodes.Status400BadRequest, "this dashboard answers only on its loopback address");
            return;
        }
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        string rawPath = raw.Split('?', 2)[0];
        if (EncodedDangers.Any(d => rawPath.Contains(d, StringComparison.OrdinalIgnoreCase)))
        {
            await Error(response, StatusCodes.Status400BadRequest, "paths with '..', backslashes or encoded separators are refused");
            return;
        }
        string path = request.Path.Value ?? "/";
        if (path is "/" or "/index.html")
        {
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
            await Bytes(context, Page.Value);
            return;
        }
        if (QueueRequests.Serves(path))
        {
            await (queue ?? new QueueRequests(null)).Handle(context);
            return;
        }
        if (path.StartsWith(AssetsPrefix, StringComparison.Ordinal))
        {
            string name = path[AssetsPrefix.Length..];
            if (!PageAssets.TryGetValue(name, out var assetType))
            {
                await Error(response, StatusCodes.Status404NotFound, "no such asset");
                return;
            }
            response.ContentType = assetType;
            await Bytes(context, AssetBytes[name].Value);
            return;
        }
        if (TextPlayground.Serves(path))
        {
            await playground.Handle(context);
            return;
        }
        if (path == ApiRuns || path == ApiRuns + "/")
        {
            await Json(response, catalog.List());
            return;
        }
        if (!path.StartsWith(ApiRuns + "/", StringComparison.Ordinal))
        {
            await Error(response, StatusCodes.Status404NotFound, "no such page");
            return;
        }
        string rest = path[(ApiRuns.Length + 1)..];
        if (rest.Contains('%') || rest.Length > RunPaths.MaxIdLength + 200)
        {
            await Error(response, StatusCodes.Status400BadRequest, "not a run id");
            return;
        }
        string[] parts = rest.Split('/');
        if (graphView.Matches(parts))
        {
            await graphView.Handle(context, parts);
            return;
        }
        if (parts.Length >= 3 && parts[^2] == "files")
        {
            string id = string.Join('/', parts[..^2]);
            string name = parts[^1];
            if (RunPaths.SplitId(id) is null || !RunPaths.IsPlainName(name))
            {
                await Error(response, StatusCodes.Status400BadRequest, "not a run id and file name");
                return;
            }
            if (catalog.File(id, name) is not var (file, type))
            {
                await Error(response, StatusCodes.Status404NotFound, $"run {id} has no file {name} that is served");
                return;
            }
            response.ContentType = type;
            response.Headers.CacheControl = "no-cache";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";
            if (!await RunFileAnswer.Send(context, file))
                await Error(response, StatusCodes.Status404NotFound, $"run {id} has no file {name} that can be read");
            return;
        }
        if (await live.TryHandle(context, parts)) return;
        string runId = string.Join('/', parts);
        if (RunPaths.SplitId(runId) is null)
        {
            await Error(response, StatusCodes.Status400BadRequest, "not a run id");
            return;
        }
        if (catalog.Detail(runId) is not { } detail)
        {
            await Error(response, StatusCodes.Status404NotFound, $"no run {runId}");
            return;
        }
        await Json(response, detail);
    }

    private static async Task Bytes(HttpContext context, byte[] bytes)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = bytes.Length;
        if (HttpMethods.IsGet(context.Request.Method)) await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes <paramref name="node"/> as the JSON answer, not cached.</summary>
    internal static Task Json(HttpResponse response, JsonNode node)
    {
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(node.ToJsonString());
    }

    /// <summary>Writes <c>{"error": message}</c> with <paramref name="status"/>.</summary>
    internal static Task Error(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        return Json(response, new JsonObject { ["error"] = message });
    }
}
