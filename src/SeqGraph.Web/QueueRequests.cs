using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SeqGraph.Web;

/// <summary>
/// The run queue's API: <c>GET /api/forms</c> (the experiments' forms), <c>GET /api/queue</c>,
/// <c>POST /api/queue</c> (<c>{"experiment": "rnn train", "values": {"--hidden": "8"}}</c> → 202
/// <c>{"id": n}</c>, 400 <c>{"error", "option"}</c> for a refused value, 429 when the queue is full,
/// 503 while it stops) and <c>POST /api/queue/{id}/cancel</c>. These are the only paths that take
/// POST. A POST must be <c>application/json</c> (a form on another site cannot send that without a
/// preflight, which is never answered) and must say it comes from this server's own origin: an
/// <c>Origin</c> equal to it, or, without one, <c>Sec-Fetch-Site: same-origin</c> (403 otherwise).
/// With <paramref name="networkRefused"/> (a launcher withheld because the server listens beyond
/// loopback) the forms say why and a POST is a 403 with <see cref="NetworkRefused"/>.
/// </summary>
public sealed class QueueRequests(RunQueue? queue, bool networkRefused = false)
{
    /// <summary>The forms' path.</summary>
    public const string ApiForms = "/api/forms";

    /// <summary>The queue's path.</summary>
    public const string ApiQueue = "/api/queue";

    /// <summary>What the page says when the server was started without a launcher.</summary>
    public const string NoLauncher = "starting runs needs the dashboard of `seqgraph serve`; this server only shows runs";

    /// <summary>What the page and a POST say when runs may not be started because the server listens beyond loopback.</summary>
    public const string NetworkRefused = "starting runs is off: this dashboard listens beyond this machine (--urls), and a run reads any file the server can; "
        + "serve on 127.0.0.1 to start runs here, or pass --allow-runs-from-network to let anyone who reaches it start them";

    /// <summary>Whether <paramref name="path"/> is one of this API's paths.</summary>
    public static bool Serves(string path) =>
        path == ApiForms || path == ApiQueue || path.StartsWith(ApiQueue + "/", StringComparison.Ordinal);

    /// <summary>Whether a POST to <paramref name="path"/> is allowed (the queue and a run's cancel).</summary>
    public static bool TakesPost(string path) => path == ApiQueue || CancelId(path) is not null;

    /// <summary>Answers one request to a path <see cref="Serves"/> accepts.</summary>
    public async Task Handle(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Path.Value ?? "";
        bool post = HttpMethods.IsPost(request.Method);
        if (post && !TakesPost(path))
        {
            response.Headers.Allow = "GET, HEAD";
            await DashboardRequests.Error(response, StatusCodes.Status405MethodNotAllowed, "only GET and HEAD are served here");
            return;
        }
        if (!post && CancelId(path) is not null)
        {
            response.Headers.Allow = "POST";
            await DashboardRequests.Error(response, StatusCodes.Status405MethodNotAllowed, "a cancel is a POST");
            return;
        }
        if (!post && path != ApiForms && path != ApiQueue)
        {
            await DashboardRequests.Error(response, StatusCodes.Status404NotFound, "no such page");
            return;
        }
        if (path == ApiForms)
        {
            await DashboardRequests.Json(response, Forms());
            return;
        }
        if (!post)
        {
            await DashboardRequests.Json(response, new JsonObject { ["available"] = queue is not null, ["items"] = queue?.List() ?? [] });
            return;
        }
        if (Refusal(request) is var (status, message))
        {
            await DashboardRequests.Error(response, status, message);
            return;
        }
        if (queue is null)
        {
            if (networkRefused) await DashboardRequests.Error(response, StatusCodes.Status403Forbidden, NetworkRefused);
            else await DashboardRequests.Error(response, StatusCodes.Status503ServiceUnavailable, NoLauncher);
            return;
        }
        JsonNode? body;
        try
        {
            body = await ReadBody(request, context.RequestAborted);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            await DashboardRequests.Error(response, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {DashboardServer.MaxRequestBodyBytes / 1024} KiB");
            return;
        }
        catch (JsonException e)
        {
            await DashboardRequests.Error(response, StatusCodes.Status400BadRequest, $"the request body is not JSON: {e.Message.Split('.', 2)[0]}");
            return;
        }
        if (CancelId(path) is int id)
        {
            string? state = queue.Cancel(id);
            if (state is null) await DashboardRequests.Error(response, StatusCodes.Status404NotFound, $"no run {id} in the queue");
            else if (state is RunQueue.Cancelled or RunQueue.Running) { response.StatusCode = StatusCodes.Status202Accepted; await DashboardRequests.Json(response, new JsonObject { ["id"] = id, ["state"] = state }); }
            else await DashboardRequests.Error(response, StatusCodes.Status409Conflict, $"run {id} has already ended ({state})");
            return;
        }
        await Enqueue(response, body);
    }

    private async Task Enqueue(HttpResponse response, JsonNode? body)
    {
        if (body is not JsonObject o || o["experiment"] is not JsonValue e || !e.TryGetValue(out string? experiment))
        {
            await FormError(response, null, "the body must be {\"experiment\": \"rnn train\", \"values\": {\"--option\": \"value\", …}}");
            return;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o["values"] is JsonObject given)
            foreach (var (name, node) in given)
            {
                if (node is not JsonValue v || v.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
                {
                    await FormError(response, name, $"{name}: give its value as a string, a number or true/false");
                    return;
                }
                values[name] = v.GetValueKind() switch
                {
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => "",
                    _ => v.ToJsonString(),
                };
            }
        else if (o["values"] is not null)
        {
            await FormError(response, null, "values must be an object of option names and values");
            return;
        }
        int id;
        try
        {
            if (!queue!.TryEnqueue(experiment!, values, out id))
            {
                if (queue.Stopping) await DashboardRequests.Error(response, StatusCodes.Status503ServiceUnavailable, "the dashboard is stopping; no more runs are started");
                else await DashboardRequests.Error(response, StatusCodes.Status429TooManyRequests,
                    $"the queue is full ({queue.MaxQueued} runs waiting); cancel one or wait for one to start");
                return;
            }
        }
        catch (RunFormException f)
        {
            await FormError(response, f.Option, f.Message);
            return;
        }
        response.StatusCode = StatusCodes.Status202Accepted;
        await DashboardRequests.Json(response, new JsonObject { ["id"] = id, ["state"] = queue.StateOf(id) });
    }

    private JsonObject Forms()
    {
        if (queue is null) return new JsonObject { ["available"] = false, ["note"] = networkRefused ? NetworkRefused : NoLauncher, ["forms"] = new JsonArray() };
        var forms = new JsonArray();
        foreach (var f in queue.Launcher.Forms)
        {
            var fields = new JsonArray();
            foreach (var x in f.Fields)
                fields.Add(new JsonObject
                {
                    ["name"] = x.Name,
                    ["description"] = x.Description,
                    ["kind"] = x.Kind,
                    ["default"] = x.Default,
                    ["choices"] = x.Choices is null ? null : new JsonArray(x.Choices.Select(c => (JsonNode)c).ToArray()),
                    ["required"] = x.Required,
                });
            forms.Add(new JsonObject { ["experiment"] = f.Experiment, ["description"] = f.Description, ["fields"] = fields });
        }
        return new JsonObject { ["available"] = true, ["max_queued"] = queue.MaxQueued, ["forms"] = forms };
    }

    /// <summary>Why a POST is refused before its body is read: the wrong content type (415), another site's origin or none said (403).</summary>
    private static (int, string)? Refusal(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            return (StatusCodes.Status415UnsupportedMediaType, "a POST must have Content-Type: application/json");
        string? origin = request.Headers.Origin;
        if (origin is null)
            return string.Equals(request.Headers["Sec-Fetch-Site"], "same-origin", StringComparison.OrdinalIgnoreCase) ? null
                : (StatusCodes.Status403Forbidden, "a POST must say it comes from this page: send an Origin header naming this server");
        if (!string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
            return (StatusCodes.Status403Forbidden, $"a POST from another origin ({origin}) is refused");
        return null;
    }

    private static async Task<JsonNode?> ReadBody(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength > DashboardServer.MaxRequestBodyBytes) throw new InvalidDataException("too large");
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > DashboardServer.MaxRequestBodyBytes) throw new InvalidDataException("too large");
        }
        string text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return text.Trim().Length == 0 ? null : JsonNode.Parse(text);
    }

    private static int? CancelId(string path)
    {
        if (!path.StartsWith(ApiQueue + "/", StringComparison.Ordinal) || !path.EndsWith("/cancel", StringComparison.Ordinal)) return null;
        string id = path[(ApiQueue.Length + 1)..^"/cancel".Length];
        return id.Length is > 0 and <= 9 && id.All(char.IsAsciiDigit) ? int.Parse(id, CultureInfo.InvariantCulture) : null;
    }

    private static Task FormError(HttpResponse response, string? option, string message)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        return DashboardRequests.Json(response, new JsonObject { ["error"] = message, ["option"] = option });
    }
}
