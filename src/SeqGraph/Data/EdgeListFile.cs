using System.Globalization;

namespace SeqGraph.Data;

/// <summary>
/// Reads a plain edge list: one edge per line, two node names separated by tabs or spaces
/// (lines starting with '#' are comments). Nodes are numbered in numeric order when every name
/// is an integer, otherwise in ordinal string order; the names are kept on the graph.
/// </summary>
public static class EdgeListFile
{
    /// <summary>Reads the file into a graph (undirected unless <paramref name="directed"/>; duplicates merged, self-loops kept).</summary>
    public static SparseGraph Read(string path, bool directed = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"edge list '{path}' does not exist");
        string name = Path.GetFileName(path);
        var pairs = new List<(string, string)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#')) continue;
            var f = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 2) throw new InvalidDataException($"{name}:{lineNo}: expected two node names, got {f.Length} field(s)");
            pairs.Add((f[0], f[1]));
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{name}: no edges");
        var names = pairs.SelectMany(p => new[] { p.Item1, p.Item2 }).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = names.All(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        names = numeric
            ? names.OrderBy(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList()
            : names.Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) index[names[i]] = i;
        return SparseGraph.FromEdges(names.Count, pairs.Select(p => (index[p.Item1], index[p.Item2])), directed, SelfLoopPolicy.Keep, names);
    }
}
