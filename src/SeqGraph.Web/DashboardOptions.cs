namespace SeqGraph.Web;

/// <summary>What <see cref="DashboardServer.Start"/> serves and where.</summary>
public sealed record DashboardOptions
{
    /// <summary>The folder whose run folders are listed and served (<c>--runs</c>); it must exist.</summary>
    public string Runs { get; init; } = "runs";

    /// <summary>
    /// The address to bind (<c>--urls</c>); port 0 picks a free port. The default binds loopback
    /// only, so the dashboard is not reachable from other machines unless asked for.
    /// </summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>
    /// A run without a summary whose newest file changed less than this long ago is "running";
    /// older, it is "failed" (the process stopped without writing its summary).
    /// </summary>
    public TimeSpan RunningWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most characters the text playground samples for one request (its <c>length</c>).</summary>
    public int SampleMaxLength { get; init; } = SampleQuery.MaxLength;
    /// <summary>
    /// Prepares the runs started from the page (the CLI's, for <c>seqgraph serve</c>); null: the
    /// page only shows runs and says that starting them needs <c>seqgraph serve</c>.
    /// </summary>
    public IRunLauncher? Launcher { get; init; }

    /// <summary>
    /// Whether the <see cref="Launcher"/> is offered when <see cref="Urls"/> is not loopback only
    /// (<c>serve --allow-runs-from-network</c>). Off by default: a run reads any file the server can
    /// (a corpus, a graph), so only this machine may start runs unless the user says otherwise.
    /// </summary>
    public bool AllowRunsFromNetwork { get; init; }

    /// <summary>Runs under way at once; further ones wait in the queue.</summary>
    public int MaxConcurrentRuns { get; init; } = 1;

    /// <summary>Most runs waiting in the queue; one more is refused (HTTP 429).</summary>
    public int MaxQueuedRuns { get; init; } = 8;
}
