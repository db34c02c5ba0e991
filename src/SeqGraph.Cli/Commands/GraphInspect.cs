using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Graph;
using SeqGraph.Tensors;

namespace SeqGraph.Cli.Commands;

/// <summary><c>seqgraph graph inspect</c>: Ã, Â, hop distances and the GCN depth needed between two nodes.</summary>
public static class GraphInspect
{
    /// <summary>Graphs up to this many nodes get their matrices printed.</summary>
    public const int MaxPrintedNodes = 40;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var edges = new Option<string>("--edges") { Description = "Edge list: two node names per line (tab or space separated)", Required = true };
        var from = new Option<string?>("--from") { Description = "Node whose information should travel" };
        var to = new Option<string?>("--to") { Description = "Node it should reach" };
        var directed = new Option<bool>("--directed") { Description = "Treat each line u v as the one-way edge u → v" };
        var json = Common.Json();
        var cmd = new Command("inspect", "Show Ã = A + I, Â, hop distances, and how many GCN layers connect two nodes") { edges, from, to, directed, json };
        cmd.SetAction(r => Run(r.GetValue(edges)!, r.GetValue(from), r.GetValue(to), r.GetValue(directed), r.GetValue(json)));
        return cmd;
    }

    private static int Run(string path, string? from, string? to, bool directed, bool json)
    {
        if ((from is null) != (to is null)) throw new UsageException("--from and --to go together");
        var g = EdgeListFile.Read(path, directed);
        var names = g.NodeNames!;
        int Find(string name, string option)
        {
            for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
            throw new UsageException($"{option}: no node '{name}' in {Path.GetFileName(path)}");
        }
        int? src = from is null ? null : Find(from, "--from");
        int? dst = to is null ? null : Find(to!, "--to");
        int? hops = src is null ? null : g.HopDistance(src.Value, dst!.Value);
        bool print = g.NumNodes <= MaxPrintedNodes;
        Tensor? tilde = print ? g.Dense(g.WithSelfLoops()) : null, ahat = print ? g.Dense(g.NormalizedAdjacency()) : null;
        int[,]? dist = print ? g.HopDistances() : null;

        if (json)
        {
            var o = new JsonObject
            {
                ["file"] = Path.GetFileName(path), ["nodes"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
                ["edges"] = g.NumEdges, ["directed"] = directed, ["degrees"] = new JsonArray(g.Degrees().Select(d => (JsonNode)d).ToArray()),
            };
            if (print)
            {
                o["tilde_adjacency"] = Matrix(g.NumNodes, (i, j) => tilde![i, j]);
                o["normalized_adjacency"] = Matrix(g.NumNodes, (i, j) => Math.Round(ahat![i, j], 3));
                o["hop_distances"] = Matrix(g.NumNodes, (i, j) => dist![i, j]);
            }
            if (src is not null)
            {
                o["from"] = from;
                o["to"] = to;
                o["hops"] = hops >= 0 ? hops : null;
                o["gcn_layers_needed"] = hops >= 0 ? hops : null;
            }
            Console.WriteLine(o.ToJsonString());
            return 0;
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {g.NumNodes} nodes, {g.NumEdges} {(directed ? "directed" : "undirected")} edges");
        if (g.DuplicatesMerged > 0) sb.Append(CultureInfo.InvariantCulture, $", {g.DuplicatesMerged} duplicate(s) merged");
        if (g.SelfLoopsKept > 0) sb.Append(CultureInfo.InvariantCulture, $", {g.SelfLoopsKept} self-loop(s) in the file");
        sb.Append("\n\n");
        if (print)
        {
            Block(sb, "Ã = A + I (adjacency with self-loops)", names, (i, j) => tilde![i, j].ToString("0", CultureInfo.InvariantCulture));
            Block(sb, "Â = D̃^-1/2 Ã D̃^-1/2 (D̃ = degree + 1)", names, (i, j) => ahat![i, j].ToString("0.000", CultureInfo.InvariantCulture));
            Block(sb, "Hop distances (- = unreachable)", names, (i, j) => dist![i, j] < 0 ? "-" : dist[i, j].ToString(CultureInfo.InvariantCulture));
        }
        else sb.Append(CultureInfo.InvariantCulture, $"(matrices are printed for graphs of at most {MaxPrintedNodes} nodes)\n\n");
        if (src is not null)
        {
            if (hops < 0) sb.Append(CultureInfo.InvariantCulture, $"No path from {from} to {to}: no number of GCN layers lets information from {from} reach {to}.\n");
            else if (hops == 0) sb.Append(CultureInfo.InvariantCulture, $"{from} and {to} are the same node: 0 layers.\n");
            else sb.Append(CultureInfo.InvariantCulture,
                $"Shortest path {from} → {to}: {hops} hop(s). One GCN layer mixes information over one hop, so {hops} layers are needed for information from {from} to reach {to}.\n");
        }
        Console.Write(sb.ToString());
        return 0;
    }

    private static JsonArray Matrix(int n, Func<int, int, JsonNode?> cell) =>
        new(Enumerable.Range(0, n).Select(i => (JsonNode)new JsonArray(Enumerable.Range(0, n).Select(j => cell(i, j)).ToArray())).ToArray());

    /// <summary>A titled matrix in the layout of the example6 README: a header of names, then "A [ 1 1 0 ]".</summary>
    private static void Block(StringBuilder sb, string title, IReadOnlyList<string> names, Func<int, int, string> cell)
    {
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
