using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SeqGraph.Fuzz;

/// <summary>The outcome table (per family: cases and each outcome class) and the list of defects, as Markdown or JSON.</summary>
internal static class OutcomeTable
{
    private static readonly Outcome[] Columns = Enum.GetValues<Outcome>();

    private static readonly string[] Headers = ["ok", "rejected", "diverged", "internal errors", "hangs", "silent corruptions", "bad messages", "over-memory"];

    /// <summary>The table in Markdown, then up to <paramref name="shown"/> defects per class and mutation kind with their replay lines.</summary>
    /// <remarks>The work folder's path is written as &lt;work&gt;, so the table names no path of the machine it ran on.</remarks>
    public static string Markdown(IReadOnlyList<CaseResult> results, string[] families, ulong seed, string run, int shown, string work)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"| family | cases | {string.Join(" | ", Headers)} |\n|---|---:|{string.Concat(Headers.Select(_ => "---:|"))}\n");
        foreach (var f in families.Append("all"))
        {
            var rows = results.Where(r => f == "all" || r.Case.Family == f).ToList();
            if (rows.Count == 0) continue;
            string Cell(Outcome o) => rows.Count(r => r.Outcome == o).ToString("N0", ci);
            string name = f == "all" ? "**all**" : f;
            sb.Append(ci, $"| {name} | {rows.Count.ToString("N0", ci)} | {string.Join(" | ", Columns.Select(Cell))} |\n");
        }
        sb.Append('\n').Append(run).Append('\n');
        var defects = results.Where(r => r.IsDefect).ToList();
        if (defects.Count == 0) return sb.Append("\nNo defects.\n").ToString();
        sb.Append(ci, $"\n{defects.Count:N0} defects");
        if (shown < int.MaxValue) sb.Append(ci, $" (at most {shown} shown per class and command)");
        sb.Append(":\n\n");
        foreach (var group in defects.GroupBy(r => (r.Outcome, Command: Command(r.Case), r.Case.Family)).OrderBy(g => g.Key.Outcome).ThenBy(g => g.Key.Family, StringComparer.Ordinal).ThenBy(g => g.Key.Command, StringComparer.Ordinal))
        {
            sb.Append(ci, $"- **{group.Key.Outcome}** in `{group.Key.Command}` ({group.Key.Family}, {group.Count()} case(s))\n");
            foreach (var r in group.Take(shown))
                sb.Append(ci, $"  - `--seed {seed} --replay {r.Case.Index}`: {r.Case.Mutation.Replace(work, "<work>", StringComparison.Ordinal)} → {(r.Code is { } c ? $"exit {c}" : "no exit")}; {r.Why}{(r.ErrorLine.Length > 0 ? $"; `{Shorten(r.ErrorLine.Replace(work, "<work>", StringComparison.Ordinal))}`" : "")}\n");
        }
        return sb.ToString();
    }

    /// <summary>The same as one JSON object: per family the counts, and every defect.</summary>
    public static string Json(IReadOnlyList<CaseResult> results, string[] families, ulong seed, string run)
    {
        var table = families.Append("all").ToDictionary(f => f, f =>
        {
            var rows = results.Where(r => f == "all" || r.Case.Family == f).ToList();
            var d = new Dictionary<string, int> { ["cases"] = rows.Count };
            for (int i = 0; i < Columns.Length; i++) d[Headers[i].Replace(' ', '_')] = rows.Count(r => r.Outcome == Columns[i]);
            return d;
        });
        var defects = results.Where(r => r.IsDefect).Select(r => new
        {
            index = r.Case.Index, family = r.Case.Family, outcome = r.Outcome.ToString(), command = Command(r.Case), mutation = r.Case.Mutation,
            code = r.Code, why = r.Why, line = r.ErrorLine, args = r.Case.Args,
        });
        return JsonSerializer.Serialize(new { seed, run, table, defects }, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The command's words ("text sample", "export").</summary>
    public static string Command(FuzzCase c) => string.Join(' ', c.Args.TakeWhile(a => !a.StartsWith('-')));

    private static string Shorten(string line) => (line.Length > 300 ? line[..300] + "…" : line).Replace('`', '\'');
}
