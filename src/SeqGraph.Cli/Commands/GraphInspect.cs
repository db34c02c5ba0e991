using System.CommandLine;
using System.Globalization;
using System.Text;
using SeqGraph.Experiments.Graph;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph graph inspect</c>: Ã, Â, hop distances and the GCN depth needed between two nodes.</summary>
public static class GraphInspect
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var edges = new Option<string>("--edges") { Description = "Edge list: two node names per line (tab or space separated)", Required = true };
        var from = new Option<string?>("--from") { Description = "Node whose information should travel" };
        var to = new Option<string?>("--to") { Description = "Node it should reach" };
        var directed = new Option<bool>("--directed") { Description = "Treat each line u v as the one-way edge u → v" };
        var json = Common.Json();
        var cmd = new Command("inspect", "Show Ã = A + I, Â, hop distances, and how many GCN layers connect two nodes") { edges, from, to, directed, json };
        cmd.SetAction(r =>
        {
            var result = GraphInspection.Run(new GraphInspectConfig { Edges = r.GetValue(edges)!, From = r.GetValue(from), To = r.GetValue(to), Directed = r.GetValue(directed) });
            if (r.GetValue(json)) Console.WriteLine(RunJson.SerializeCompact(result));
            else Console.Write(Text(result));
            return 0;
        });
        return cmd;
    }

    private static string Text(GraphInspectResult g)
    {
        var names = g.Nodes;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{g.File}: {names.Length} nodes, {g.Edges} {(g.Directed ? "directed" : "undirected")} edges");
        if (g.DuplicatesMerged > 0) sb.Append(CultureInfo.InvariantCulture, $", {g.DuplicatesMerged} duplicate(s) merged");
        if (g.SelfLoopsKept > 0) sb.Append(CultureInfo.InvariantCulture, $", {g.SelfLoopsKept} self-loop(s) in the file");
        sb.Append("\n\n");
        if (g is { TildeAdjacency: { } tilde, NormalizedAdjacency: { } ahat, HopDistances: { } dist })
        {
            Block(sb, "Ã = A + I (adjacency with self-loops)", names, (i, j) => tilde[i][j].ToString("0", CultureInfo.InvariantCulture));
            Block(sb, "Â = D̃^-1/2 Ã D̃^-1/2 (D̃ = degree + 1)", names, (i, j) => ahat[i][j].ToString("0.000", CultureInfo.InvariantCulture));
            Block(sb, "Hop distances (- = unreachable)", names, (i, j) => dist[i][j] < 0 ? "-" : dist[i][j].ToString(CultureInfo.InvariantCulture));
        }
        else sb.Append(CultureInfo.InvariantCulture, $"(matrices are printed for graphs of at most {GraphInspection.MaxPrintedNodes} nodes)\n\n");
        string? from = g.From, to = g.To;
        if (from is not null)
        {
            if (g.Unreachable) sb.Append(CultureInfo.InvariantCulture, $"No path from {from} to {to}: no number of GCN layers lets information from {from} reach {to}.\n");
            else if (g.Hops == 0) sb.Append(CultureInfo.InvariantCulture, $"{from} and {to} are the same node: 0 layers.\n");
            else sb.Append(CultureInfo.InvariantCulture,
                $"Shortest path {from} → {to}: {g.Hops} hop(s). One GCN layer mixes information over one hop, so {g.Hops} layers are needed for information from {from} to reach {to}.\n");
        }
        return sb.ToString();
    }

    private const int MaxShownName = 16;

    /// <summary>A titled matrix in the layout of the example6 README: a header of names, then "A [ 1 1 0 ]".</summary>
    private static void Block(StringBuilder sb, string title, IReadOnlyList<string> names, Func<int, int, string> cell)
    {
        // a column is as wide as the longest name: long names are cut for the matrix (else 40 × 40 cells
        // of a 10,000-character id are 16 million characters of padding)
        names = names.Select(s => s.Length <= MaxShownName ? s : s[..(MaxShownName - 1)] + "…").ToList();
        int n = names.Count;
        var cells = new string[n, n];
        int w = names.Max(s => s.Length);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) w = Math.Max(w, (cells[i, j] = cell(i, j)).Length);
        int label = names.Max(s => s.Length);
        sb.Append(title).Append('\n');
        sb.Append(' ', label + 3).Append(string.Join(" ", names.Select(s => s.PadLeft(w)))).Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(names[i].PadRight(label)).Append(" [ ");
            for (int j = 0; j < n; j++) sb.Append(cells[i, j].PadLeft(w)).Append(j + 1 < n ? " " : " ]\n");
        }
        sb.Append('\n');
    }
}
