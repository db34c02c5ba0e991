using System.Globalization;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// sweep.json: what a sweep is (the command, its fixed options, the grid), its trials (each
/// with the state it had when the file was last written), and every submission. The command, the
/// options and the grid are the sweep's identity: a sweep folder is continued only by the same
/// three (<see cref="SameSweep"/>); the trials follow from them.
/// </summary>
/// <param name="Version">The format (1).</param>
/// <param name="Command">The swept command's words, e.g. <c>rnn train</c>.</param>
/// <param name="Args">Its options that every trial shares, as typed (<c>--task</c>, <c>palindrome</c>, …).</param>
/// <param name="Grid">The axes.</param>
/// <param name="Trials">Every trial, in order, with its state when this file was written.</param>
/// <param name="Submissions">Every submission, oldest first.</param>
public sealed record SweepSpec(
    int Version = 1, string Command = "", IReadOnlyList<string> Args = null!, IReadOnlyList<SweepAxis> Grid = null!,
    IReadOnlyList<SweepSpecTrial> Trials = null!, IReadOnlyList<SweepSubmission> Submissions = null!)
{
    /// <summary>The one format this version writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>A new sweep's spec: its trials laid out, no submission yet.</summary>
    public static SweepSpec Create(string command, IReadOnlyList<string> args, IReadOnlyList<SweepAxis> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var trials = Layout(grid).Select(t => new SweepSpecTrial(t.Number, t.Folder, t.Values, TrialState.Pending)).ToList();
        return new SweepSpec(CurrentVersion, command, args.ToList(), grid.ToList(), trials, []);
    }

    /// <summary>The trials of a grid: numbered from 1 in <see cref="SweepGrid.Expand"/>'s order, folders <c>trial-001</c>, … (at least three digits).</summary>
    public static List<SweepTrial> Layout(IReadOnlyList<SweepAxis> grid)
    {
        int count = SweepGrid.Count(grid);
        int width = Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length);
        return SweepGrid.Expand(grid).Select((values, i) => new SweepTrial(i + 1,
            "trial-" + (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'),
            grid.Select((a, k) => KeyValuePair.Create(a.Name, values[k])).ToDictionary())).ToList();
    }

    /// <summary>The trials as <see cref="SweepTrial"/>s.</summary>
    public IReadOnlyList<SweepTrial> TrialList() => Trials.Select(t => new SweepTrial(t.Number, t.Folder, t.Values)).ToList();

    /// <summary>True when <paramref name="other"/> is the same sweep: the same command, options and grid.</summary>
    public bool SameSweep(SweepSpec other) =>
        other is not null && Command == other.Command && Args.SequenceEqual(other.Args) && Grid.SequenceEqual(other.Grid);

    /// <summary>A trial's whole command line after the command's words: the fixed options, then the trial's values.</summary>
    public List<string> TrialArgs(SweepTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var args = Args.ToList();
        foreach (var (name, value) in trial.Values) args.AddRange(["--" + name, value]);
        return args;
    }

    /// <summary>Checks what a reader of a file needs: the version, a grid whose layout is the listed trials.</summary>
    public void CheckRead(string path)
    {
        if (Version != CurrentVersion) throw new InvalidDataException($"{path}: format version {Version} (this seqgraph reads {CurrentVersion})");
        if (string.IsNullOrWhiteSpace(Command) || Args is null || Grid is null || Trials is null || Submissions is null)
            throw new InvalidDataException($"{path}: \"command\", \"args\", \"grid\", \"trials\" and \"submissions\" are all needed");
        try { SweepGrid.Check(Grid); }
        catch (ConfigException e) { throw new InvalidDataException($"{path}: grid: {e.Message["--grid: ".Length..]}"); }
        var layout = Layout(Grid);
        if (layout.Count != Trials.Count || layout.Zip(Trials).Any(p => p.First.Number != p.Second.Number || p.First.Folder != p.Second.Folder
                || !p.First.Values.OrderBy(v => v.Key, StringComparer.Ordinal).SequenceEqual(p.Second.Values.OrderBy(v => v.Key, StringComparer.Ordinal))))
            throw new InvalidDataException($"{path}: the trials do not match the grid (edited by hand?)");
    }
}
