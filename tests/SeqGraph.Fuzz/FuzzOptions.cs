namespace SeqGraph.Fuzz;

/// <summary>The harness's command line.</summary>
/// <param name="Seed">Seed of every mutant (case K of seed S is the same on every run).</param>
/// <param name="Count">Number of cases (indices 0 … Count − 1).</param>
/// <param name="Families">Families in turn: case K is of Families[K mod Families.Length].</param>
/// <param name="Out">File for the table (.md or .json).</param>
/// <param name="Work">Folder for the baseline and the cases.</param>
/// <param name="Timeout">Seconds a case may take.</param>
/// <param name="Replay">Run only this case, in this process, and show it whole.</param>
/// <param name="Keep">Keep the cases' files.</param>
/// <param name="Shown">Defects listed per class and command.</param>
/// <param name="WorkerFrom">Worker mode: run cases from this index (the supervisor starts workers).</param>
internal sealed record FuzzOptions(ulong Seed, int Count, string[] Families, string? Out, string Work, int Timeout, int Replay, bool Keep, int Shown, int WorkerFrom)
{
    /// <summary>Every family, in the order cases take them.</summary>
    public static readonly string[] All = [CheckpointFamily.Name, CorpusFamily.Name, GraphFamily.Name, OptionFamily.Name];

    /// <summary>Reads the command line; null (after a message on stderr) when it cannot.</summary>
    public static FuzzOptions? Parse(string[] args)
    {
        ulong seed = 1;
        int count = 200, replay = -1, timeout = 10, shown = 3, from = -1;
        string[] families = All;
        string? outFile = null, work = null;
        bool keep = false;
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            bool ok = args[i] switch
            {
                "--seed" => ulong.TryParse(Next(), out seed),
                "--count" => int.TryParse(Next(), out count) && count > 0,
                "--replay" => int.TryParse(Next(), out replay) && replay >= 0,
                "--timeout" => int.TryParse(Next(), out timeout) && timeout > 0,
                "--shown" => int.TryParse(Next(), out shown) && shown > 0,
                "--family" => (families = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).Length > 0 && families.All(All.Contains),
                "--out" => (outFile = Next()) is not null,
                "--work" => (work = Next()) is not null,
                "--keep" => keep = true,
                "--worker-from" => int.TryParse(Next(), out from) && from >= 0,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"seqgraph-fuzz: cannot read {args[i]} (options: --seed S --count N --family {string.Join(',', All)} --out F.md|F.json --timeout SECONDS --replay K --keep --work DIR --shown N)");
                return null;
            }
        }
        string root = Path.GetFullPath(work ?? Path.Combine(Path.GetTempPath(), $"seqgraph-fuzz-{Environment.ProcessId}"));
        return new FuzzOptions(seed, count, families, outFile, root, timeout, replay, keep, shown, from);
    }

    /// <summary>The arguments that start a worker for cases from <paramref name="from"/> on.</summary>
    public string[] WorkerArgs(int from) =>
    [
        "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--family", string.Join(',', Families), "--work", Work, "--timeout", Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--worker-from", from.ToString(System.Globalization.CultureInfo.InvariantCulture), .. (Keep ? new[] { "--keep" } : []),
    ];
}
