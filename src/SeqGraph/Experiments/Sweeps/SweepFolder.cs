using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// A sweep's folder, the only state its trials share: <c>sweep.json</c> (<see cref="SweepSpec"/>),
/// one run folder per trial (<c>trial-001/</c>, …; each an ordinary run of the swept command plus
/// its <c>trial.json</c>), and what collecting writes (results.csv, summary.json, charts; a Slurm
/// submission's scripts and logs under <c>slurm/</c>). A trial's state is read from its folder
/// alone, so it is right whichever machine ran it and whatever became of that machine.
/// </summary>
public static class SweepFolder
{
    /// <summary>The sweep's record.</summary>
    public const string SpecFileName = "sweep.json";

    /// <summary>One row per finished trial.</summary>
    public const string ResultsFileName = "results.csv";

    /// <summary>In a trial's folder: how its last attempt ended.</summary>
    public const string TrialRecordFileName = "trial.json";

    /// <summary>Slurm scripts and logs.</summary>
    public const string SlurmFolder = "slurm";

    /// <summary>True when <paramref name="dir"/> holds a sweep.</summary>
    public static bool IsSweep(string dir) => File.Exists(Path.Combine(dir, SpecFileName));

    /// <summary>Reads and checks <c>sweep.json</c> of <paramref name="dir"/>.</summary>
    /// <exception cref="InvalidDataException">It is malformed or does not match its grid.</exception>
    /// <exception cref="FileNotFoundException">There is no sweep in <paramref name="dir"/>.</exception>
    public static SweepSpec ReadSpec(string dir)
    {
        string path = Path.Combine(dir, SpecFileName);
        if (!File.Exists(path))
            throw Directory.Exists(dir)
                ? new FileNotFoundException($"{dir} holds no sweep ({SpecFileName} is missing)", path)
                : new DirectoryNotFoundException($"{dir}: no such folder");
        var spec = RunJson.Read<SweepSpec>(path);
        spec.CheckRead(path);
        return spec;
    }

    /// <summary>Writes <c>sweep.json</c> with each trial's state as <paramref name="states"/> gives it (atomic).</summary>
    public static SweepSpec WriteSpec(RunFolder folder, SweepSpec spec, IReadOnlyList<TrialStatus>? states = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(spec);
        if (states is not null)
            spec = spec with { Trials = spec.Trials.Select((t, i) => t with { State = states[i].State }).ToList() };
        folder.WriteJson(SpecFileName, spec);
        return spec;
    }

    /// <summary>Every trial's state, read from its folder (see <see cref="TrialState"/>).</summary>
    public static List<TrialStatus> StatusAll(string dir, SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.TrialList().Select(t => Status(dir, t)).ToList();
    }

    /// <summary>
    /// One trial's state: running while a process holds its folder's lock; done, diverged or
    /// interrupted as its summary.json says; failed when its trial.json says so, or when it has
    /// files but neither a summary nor a writer (killed); pending otherwise.
    /// </summary>
    public static TrialStatus Status(string dir, SweepTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        string folder = Path.Combine(dir, trial.Folder);
        if (File.Exists(folder)) return new(trial, TrialState.Failed, $"{trial.Folder} is a file, not a folder", null, null);
        if (!Directory.Exists(folder)) return new(trial, TrialState.Pending, "", null, null);
        TrialRecord? record = ReadRecord(folder);
        if (RunLock.Busy(folder) is { } busy) return new(trial, TrialState.Running, busy[(busy.IndexOf(": ", StringComparison.Ordinal) + 2)..], record, null);
        JsonObject? summary = ReadSummary(folder, out string? unreadable);
        if (summary is not null)
        {
            if (summary["interrupted"] is JsonValue i && i.TryGetValue<bool>(out bool interrupted) && interrupted)
                return new(trial, TrialState.Interrupted, record?.Message ?? "stopped before its end", record, summary);
            if (summary["diverged"] is JsonObject d)
                return new(trial, TrialState.Diverged, record?.Message ?? (d["message"] as JsonValue)?.ToString() ?? "diverged", record, summary);
            return new(trial, TrialState.Done, record?.Message ?? "", record, summary);
        }
        if (unreadable is not null) return new(trial, TrialState.Failed, unreadable, record, null);
        if (record is not null) return new(trial, record.State == TrialState.Interrupted ? TrialState.Interrupted : TrialState.Failed, record.Message, record, null);
        bool any = Directory.EnumerateFileSystemEntries(folder).Any(e => !Path.GetFileName(e).StartsWith('.'));
        return any ? new(trial, TrialState.Failed, "stopped without a summary (killed?)", null, null) : new(trial, TrialState.Pending, "", null, null);
    }

    private static TrialRecord? ReadRecord(string folder)
    {
        string path = Path.Combine(folder, TrialRecordFileName);
        if (!File.Exists(path)) return null;
        try { return RunJson.Read<TrialRecord>(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return null; }
    }

    private static JsonObject? ReadSummary(string folder, out string? unreadable)
    {
        unreadable = null;
        string path = Path.Combine(folder, RunFolder.SummaryFileName);
        if (!File.Exists(path)) return null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(InputFile.Check(path))) is JsonObject o) return o;
            unreadable = $"{RunFolder.SummaryFileName} is not a JSON object";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            unreadable = $"{RunFolder.SummaryFileName} cannot be read: {InputError.OneLine(e.Message)}";
        }
        return null;
    }
}
