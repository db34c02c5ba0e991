using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SeqGraph.Web;

/// <summary>
/// The dashboard of <c>seqgraph serve</c>, running: a Kestrel server over a runs folder with the
/// JSON API (<c>/api/runs</c>, <c>/api/runs/{id}</c>, <c>/api/runs/{id}/files/{name}</c>) and one
/// embedded page at <c>/</c>. Start it with <see cref="Start"/>; stop it with
/// <see cref="StopAsync"/> or by disposing it. Only GET and HEAD are answered, and POST on the run queue (<see cref="QueueRequests"/>); requests are
/// bounded in size; nothing outside the runs folder is ever served (<see cref="RunPaths"/>).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private bool stopped;

    private DashboardServer(WebApplication app, Uri address, string runs, RunQueue? queue)
    {
        this.app = app;
        Queue = queue;
        Address = address;
        Runs = runs;
    }

    /// <summary>The address the server is bound to, with the port it got (for port 0), ending in '/'.</summary>
    public Uri Address { get; }

    /// <summary>
    /// The runs started from the page, or null when the server has no <see cref="DashboardOptions.Launcher"/>
    /// or listens beyond loopback without <see cref="DashboardOptions.AllowRunsFromNetwork"/>.
    /// </summary>
    public RunQueue? Queue { get; }

    /// <summary>The runs folder served, as a full path.</summary>
    public string Runs { get; }

    /// <summary>Largest request body accepted, in bytes (the API reads none; larger ones get 413).</summary>
    public const long MaxRequestBodyBytes = 16 * 1024;

    /// <summary>
    /// Starts serving <see cref="DashboardOptions.Runs"/> on <see cref="DashboardOptions.Urls"/>.
    /// Throws <see cref="DirectoryNotFoundException"/> (message starting "--runs:") for a missing
    /// folder and <see cref="IOException"/> (starting "--urls:") for an address that cannot be bound.
    /// </summary>
    public static DashboardServer Start(DashboardOptions options) => StartAsync(options).GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Start"/>.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(options.Runs))
            throw new DirectoryNotFoundException($"--runs: {options.Runs} is not a folder; give the folder your runs are written to (the commands' default is runs/)");
        var catalog = new RunCatalog(options.Runs, options.RunningWindow);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = catalog.Root, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            k.Limits.MaxRequestLineSize = 4 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestHeaderCount = 64;
            k.Limits.MaxConcurrentConnections = 256;
        });
        var app = builder.Build();
        bool loopbackOnly = IsLoopback(options.Urls);
        bool runsAllowed = loopbackOnly || options.AllowRunsFromNetwork;
        var queue = options.Launcher is null || !runsAllowed ? null : new RunQueue(options.Launcher, catalog.Root, options.MaxConcurrentRuns, options.MaxQueuedRuns);
        var handler = new DashboardRequests(catalog, loopbackOnly, new QueueRequests(queue, options.Launcher is not null && !runsAllowed), options.SampleMaxLength);
        app.Run(handler.Handle);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or UriFormatException)
        {
            await app.DisposeAsync();
            if (queue is not null) await queue.StopAsync(TimeSpan.FromSeconds(5));
            throw new IOException($"--urls: cannot listen on {options.Urls}: {e.Message}", e);
        }
        // The runs are read once before the address is given out, so the first page load answers from
        // the cache like every later one (for 1,000 runs ~0.3 s here, paid at start instead).
        catalog.List();
        string bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, new Uri(bound.TrimEnd('/') + "/"), catalog.Root, queue);
    }

    /// <summary>
    /// Stops accepting requests, lets those under way finish (up to <paramref name="timeout"/>), and
    /// releases the port; then cancels the queue's runs and waits (up to <paramref name="runTimeout"/>,
    /// default one minute) for the running one to write its files.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null, TimeSpan? runTimeout = null)
    {
        if (stopped) return;
        stopped = true;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        await app.StopAsync(cts.Token);
        await app.DisposeAsync();
        if (Queue is not null) await Queue.StopAsync(runTimeout ?? TimeSpan.FromMinutes(1));
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    private static bool IsLoopback(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(u =>
    {
        if (!Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    });
}
