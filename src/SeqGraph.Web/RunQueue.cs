using System.Text.Json.Nodes;
using SeqGraph.Experiments;

namespace SeqGraph.Web;

/// <summary>
/// The runs started from the page: a bounded queue served by <see cref="DashboardOptions.MaxConcurrentRuns"/>
/// worker threads (one by default, so runs do not compete for the cores). A queued run can be
/// cancelled (it never starts and its empty folder is removed); the running one is cancelled
/// through its token, stops after its current step and writes what it has (state "interrupted").
/// A run that throws is "failed" with one line; the queue and the server go on. Stopping the
/// queue cancels everything and waits for running runs to write their files.
/// </summary>
public sealed class RunQueue
{
    /// <summary>Waiting for a worker.</summary>
    public const string Queued = "queued";
    /// <summary>Under way.</summary>
    public const string Running = "running";
    /// <summary>Ended normally.</summary>
    public const string Finished = "finished";
    /// <summary>Stopped by a cancel while running; its files say what it did.</summary>
    public const string Interrupted = "interrupted";
    /// <summary>Ended by an error.</summary>
    public const string Failed = "failed";
    /// <summary>Cancelled before it started.</summary>
    public const string Cancelled = "cancelled";

    private const int MaxKept = 100;
    private readonly object gate = new();
    private readonly object enqueueing = new();
    private readonly List<RunQueueItem> items = [];
    private readonly SemaphoreSlim available = new(0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread[] workers;
    private int nextId = 1;

    /// <summary>A queue over <paramref name="runsRoot"/> that starts runs through <paramref name="launcher"/>.</summary>
    public RunQueue(IRunLauncher launcher, string runsRoot, int maxConcurrentRuns = 1, int maxQueued = 8)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueued, 0);
        Launcher = launcher;
        RunsRoot = Path.GetFullPath(runsRoot);
        MaxQueued = maxQueued;
        workers = Enumerable.Range(0, maxConcurrentRuns).Select(k => new Thread(Work) { IsBackground = true, Name = $"seqgraph run {k + 1}" }).ToArray();
        foreach (var w in workers) w.Start();
    }

    /// <summary>The launcher runs are prepared by.</summary>
    public IRunLauncher Launcher { get; }

    /// <summary>The runs folder, as a full path.</summary>
    public string RunsRoot { get; }

    /// <summary>Most runs waiting at once; one more is refused.</summary>
    public int MaxQueued { get; }

    /// <summary>Whether <see cref="StopAsync"/> was called: no run is queued any more.</summary>
    public bool Stopping => stopping.IsCancellationRequested;

    /// <summary>
    /// Prepares a run (throws <see cref="RunFormException"/> for a refused value, and for a run
    /// whose folder is the folder of a queued or running run: two runs never write one folder)
    /// and queues it. Returns false, preparing nothing, when <see cref="MaxQueued"/> runs are
    /// already waiting or the queue is <see cref="Stopping"/>.
    /// </summary>
    public bool TryEnqueue(string experiment, IReadOnlyDictionary<string, string> values, out int id)
    {
        // one enqueue at a time, so two requests cannot both take the last place
        lock (enqueueing) return Add(experiment, values, out id);
    }

    private bool Add(string experiment, IReadOnlyDictionary<string, string> values, out int id)
    {
        id = 0;
        lock (gate)
            if (stopping.IsCancellationRequested || items.Count(i => i.State == Queued) >= MaxQueued) return false;
        var prepared = Launcher.Prepare(experiment, values, RunsRoot);
        string runId = Path.GetRelativePath(RunsRoot, prepared.Folder).Replace(Path.DirectorySeparatorChar, '/');
        lock (gate)
        {
            if (items.Find(i => !i.Done && SameFolder(i.Prepared.Folder, prepared.Folder)) is { } busy)
                throw new RunFormException("--out", $"--out: {runId} is the folder of run {busy.Id}, which is {busy.State}; give another folder, or wait for run {busy.Id} to end");
            id = nextId++;
            items.Add(new RunQueueItem(id, experiment, values, prepared, runId));
            var done = items.Where(i => i.Done).ToList();
            for (int k = 0; k < done.Count - MaxKept; k++) items.Remove(done[k]);
        }
        available.Release();
        return true;
    }

    /// <summary>
    /// Cancels run <paramref name="id"/>: a queued one is dropped (state "cancelled"), a running one
    /// is asked to stop. Returns its state after the request (still "running" until it has written
    /// its files), or null when there is no such run.
    /// </summary>
    public string? Cancel(int id)
    {
        RunQueueItem? item;
        lock (gate)
        {
            item = items.Find(i => i.Id == id);
            if (item is null) return null;
            if (item.State == Queued)
            {
                item.State = Cancelled;
                item.EndedAt = DateTime.UtcNow;
                RemoveIfEmpty(item.Prepared.Folder);
            }
            else if (item.State == Running) item.Stop.Cancel();
            return item.State;
        }
    }

    /// <summary>Every run, in the order they were queued, as the page shows them.</summary>
    public JsonArray List()
    {
        lock (gate) return new JsonArray(items.Select(i => (JsonNode)i.ToJson()).ToArray());
    }

    /// <summary>The state of run <paramref name="id"/>, or null when there is none.</summary>
    public string? StateOf(int id)
    {
        lock (gate) return items.Find(i => i.Id == id)?.State;
    }

    /// <summary>Cancels every run and waits (up to <paramref name="timeout"/>) for the running ones to write their files.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        lock (gate)
        {
            if (stopping.IsCancellationRequested) return;
            stopping.Cancel();
            foreach (var i in items)
                if (i.State == Running) i.Stop.Cancel();
                else if (i.State == Queued)
                {
                    i.State = Cancelled;
                    i.EndedAt = DateTime.UtcNow;
                    RemoveIfEmpty(i.Prepared.Folder);
                }
        }
        await Task.Run(() => { foreach (var w in workers) w.Join(timeout); });
    }

    private void Work()
    {
        while (true)
        {
            try { available.Wait(stopping.Token); }
            catch (OperationCanceledException) { return; }
            RunQueueItem? item;
            lock (gate)
            {
                item = items.Find(i => i.State == Queued);
                if (item is null) continue;
                item.State = Running;
                item.StartedAt = DateTime.UtcNow;
            }
            Execute(item);
        }
    }

    private void Execute(RunQueueItem item)
    {
        string state, result = "", error = "";
        try
        {
            var outcome = item.Prepared.Run(Reporter.Create<RunProgress>(p => item.Progress = p), item.Stop.Token);
            state = outcome.Diverged is not null ? Failed : outcome.Interrupted ? Interrupted : Finished;
            result = outcome.Result;
            error = outcome.Diverged ?? "";
        }
        catch (OperationCanceledException) when (item.Stop.IsCancellationRequested)
        {
            state = Interrupted;
        }
        catch (Exception e)
        {
            state = Failed;
            error = OneLine(e);
        }
        lock (gate)
        {
            item.State = state;
            item.Result = result.Length > 0 ? result : null;
            item.Error = error.Length > 0 ? error : null;
            item.EndedAt = DateTime.UtcNow;
            if (state == Failed) RemoveIfEmpty(item.Prepared.Folder);
        }
    }

    /// <summary>The message of an error as one line: bad input as the library words it, anything else with its type, as the CLI prints it.</summary>
    private static string OneLine(Exception e)
    {
        string line = InputError.Is(e) ? InputError.Message(e) : InputError.OneLine(e.Message);
        return InputError.Is(e) ? line : $"internal error: {e.GetType().Name}: {line}";
    }

    private static bool SameFolder(string a, string b) => string.Equals(
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
