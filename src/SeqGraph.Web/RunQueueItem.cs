using System.Text.Json.Nodes;

namespace SeqGraph.Web;

/// <summary>One run in the <see cref="RunQueue"/>: what was asked for, its state and its latest progress. Changed only under the queue's lock, except <see cref="Progress"/> (one reference, written by the run's thread).</summary>
internal sealed class RunQueueItem(int id, string experiment, IReadOnlyDictionary<string, string> values, PreparedRun prepared, string runId)
{
    public int Id { get; } = id;
    public string Experiment { get; } = experiment;
    public IReadOnlyDictionary<string, string> Values { get; } = values;
    public PreparedRun Prepared { get; } = prepared;
    public string RunId { get; } = runId;
    public CancellationTokenSource Stop { get; } = new();
    public string State { get; set; } = RunQueue.Queued;
    public volatile RunProgress? Progress;
    public string? Error { get; set; }
    public string? Result { get; set; }
    public DateTime QueuedAt { get; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }

    public bool Done => State is not (RunQueue.Queued or RunQueue.Running);

    public JsonObject ToJson()
    {
        var values = new JsonObject();
        foreach (var (k, v) in Values) values[k] = v;
        var p = Progress;
        return new JsonObject
        {
            ["id"] = Id,
            ["experiment"] = Experiment,
            ["label"] = Prepared.Label,
            ["values"] = values,
            ["state"] = State,
            ["stopping"] = State == RunQueue.Running && Stop.IsCancellationRequested,
            ["progress"] = p is null ? null : new JsonObject
            {
                ["done"] = p.Done,
                ["total"] = p.Total,
                ["unit"] = p.Unit,
                ["loss"] = p.Loss is { } l && double.IsFinite(l) ? l : null,
                ["accuracy"] = p.Accuracy is { } a && double.IsFinite(a) ? a : null,
                ["text"] = p.Text,
            },
            ["error"] = Error,
            ["result"] = Result,
            ["run"] = RunId,
            ["queued_at"] = QueuedAt.ToString("O"),
            ["started_at"] = StartedAt?.ToString("O"),
            ["ended_at"] = EndedAt?.ToString("O"),
        };
    }
}
