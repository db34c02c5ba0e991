using System.Globalization;

namespace SeqGraph.Data;

/// <summary>
/// Reads a plain edge list: one edge per line, two node names separated by tabs or spaces
/// (lines starting with '#' are comments), in UTF-8 (an invalid byte is an error naming the line).
/// When every name is a decimal integer the nodes are integers, as in PyTorch Geometric and networkx's
/// <c>nodetype=int</c>: <c>1</c>, <c>01</c> and <c>+1</c> are the same node, named <c>1</c>, numbered in
/// numeric order. Otherwise every name is a string, compared byte for byte (<c>01</c> and <c>1</c> are
/// two nodes), numbered in ordinal order. The names are kept on the graph.
/// </summary>
public static class EdgeListFile
{
    /// <summary>Reads the file into a graph (undirected unless <paramref name="directed"/>; duplicates merged, self-loops kept).</summary>
    public static SparseGraph Read(string path, bool directed = false)
    {
        InputFile.Check(path, missing: $"edge list '{path}' does not exist");
        string name = Path.GetFileName(path);
        var pairs = new List<(string, string)>();
        int lineNo = 0;
        foreach (var line in InputFile.ReadLines(path))
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
        bool numeric = names.All(s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        if (numeric)
        {
            // integer ids: one node per value, named in its canonical spelling
            static string Canonical(string s) => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            pairs = pairs.Select(p => (Canonical(p.Item1), Canonical(p.Item2))).ToList();
            names = names.Select(s => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).Distinct().Order()
                .Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
        }
        else names = names.Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) index[names[i]] = i;
        return SparseGraph.FromEdges(names.Count, pairs.Select(p => (index[p.Item1], index[p.Item2])), directed, SelfLoopPolicy.Keep, names);
    }
}
