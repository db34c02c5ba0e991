using System.Globalization;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Data;

/// <summary>
/// A citation graph for node classification: graph, sparse node features, one label per node,
/// and the train / validation / test node sets.
/// </summary>
public sealed class CitationGraph
{
    /// <summary>The (undirected) citation graph.</summary>
    public required SparseGraph Graph { get; init; }

    /// <summary>Node features [N, F] as CSR (row-normalised when loaded so).</summary>
    public required CsrMatrix Features { get; init; }

    /// <summary>Class index per node; <see cref="Unlabelled"/> (−1) for a node without a label.</summary>
    public required int[] Labels { get; init; }

    /// <summary>The label of a node that has none (an empty label or <c>-1</c> in the content file).</summary>
    public const int Unlabelled = -1;

    /// <summary>Class names (the label strings, or "0", "1", … for integer labels).</summary>
    public required string[] ClassNames { get; init; }

    /// <summary>Node ids as written in the content file, index-aligned.</summary>
    public required string[] NodeIds { get; init; }

    /// <summary>Training nodes.</summary>
    public required int[] Train { get; init; }

    /// <summary>Validation nodes.</summary>
    public required int[] Val { get; init; }

    /// <summary>Test nodes.</summary>
    public required int[] Test { get; init; }

    /// <summary>"file" when a .split file was read, "generated" when one was drawn, "none" when a graph loaded for prediction has too few labels for one.</summary>
    public required string SplitSource { get; init; }

    /// <summary>Short name (the content file's name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>The file the edges were read from (its name only).</summary>
    public string EdgeFile { get; init; } = "";

    /// <summary>Nodes that have a label.</summary>
    public int LabelledNodes => Labels.Count(l => l != Unlabelled);

    /// <summary>"train", "val", "test", or "" for a node in no split, per node.</summary>
    public string[] SplitOfNodes()
    {
        var s = new string[NumNodes];
        Array.Fill(s, "");
        foreach (int i in Train) s[i] = "train";
        foreach (int i in Val) s[i] = "val";
        foreach (int i in Test) s[i] = "test";
        return s;
    }

    /// <summary>Number of nodes.</summary>
    public int NumNodes => Labels.Length;

    /// <summary>Number of features.</summary>
    public int NumFeatures => Features.Cols;

    /// <summary>
    /// SHA-256 (lower-case hex) of the graph's structure: the node ids in order and the adjacency
    /// (row pointers, columns, weights). Two loads of the same files give the same value; a changed
    /// edge, weight or node order changes it. Features and labels are not part of it.
    /// </summary>
    public string StructureSha256()
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var id in NodeIds)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(id));
            sha.AppendData(new byte[] { 0 });
        }
        var a = Graph.Adjacency;
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.RowPtr.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.ColIndex.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Values.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Number of classes.</summary>
    public int NumClasses => ClassNames.Length;

    /// <summary>Labelled nodes per class within <paramref name="nodes"/>.</summary>
    public int[] ClassCounts(IEnumerable<int> nodes)
    {
        var c = new int[NumClasses];
        foreach (int i in nodes)
            if (Labels[i] != Unlabelled) c[Labels[i]]++;
        return c;
    }

    /// <summary>
    /// Loads a citation-graph folder: <c>&lt;name&gt;.content</c> (nodes, features, labels), the edges
    /// as <c>*.cites</c> (two node ids per line, tabs or spaces, optionally a third column with the
    /// edge's weight) or <c>&lt;name&gt;.csv</c> (comma-separated with a header line:
    /// <c>source,target</c> or <c>source,target,weight</c>), and optionally <c>*.split</c>: the
    /// plain-text Planetoid format of <c>data/graphs/cora</c> or the classic LINQS files (string
    /// paper ids, string class names). A node whose label is empty or <c>-1</c> has no label: it
    /// takes part in message passing but belongs to no split. Without a split file a split is
    /// drawn from the labelled nodes (seed <paramref name="splitSeed"/>): per class at most 20
    /// nodes and at most two thirds of the class (at least one) for training, then a third of the
    /// rest (at most 500, at least 1) for validation and the others (at most 1,000) for testing —
    /// on Cora-sized graphs the Planetoid split of 20 per class, 500 and 1,000. Malformed input
    /// raises <see cref="InvalidDataException"/> naming the file and line. With
    /// <paramref name="requireSplit"/> false (for prediction) a graph without any label, or with too
    /// few to draw a split, loads with empty splits (<see cref="SplitSource"/> "none").
    /// </summary>
    public static CitationGraph Load(string directory, bool normalizeFeatures = true, ulong splitSeed = 0, bool requireSplit = true)
    {
        if (File.Exists(directory)) throw new DirectoryNotFoundException($"'{directory}' is a file; give the data folder that holds it");
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"data folder '{directory}' does not exist");
        string content = FindOne(directory, "content", required: true)!;
        string name = Path.GetFileNameWithoutExtension(content);
        string? cites = FindOne(directory, "cites", required: false);
        string csv = Path.Combine(directory, name + ".csv");
        if (cites is not null && File.Exists(csv))
            throw new InvalidDataException($"data folder '{directory}' has both {Path.GetFileName(cites)} and {name}.csv; keep one edge file");
        if (cites is null && !File.Exists(csv))
            throw new FileNotFoundException($"data folder '{directory}' has no edge file (a .cites file, or {name}.csv with a header line)");
        string edgeFile = cites ?? csv;
        string? split = FindOne(directory, "split", required: false);

        var (ids, features, labels, classNames) = ReadContent(content, requireSplit);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++) index[ids[i]] = i;
        var (edges, weighted) = ReadEdges(edgeFile, index, csv: cites is null);
        var graph = weighted
            ? SparseGraph.FromWeightedEdges(ids.Length, edges, directed: false, SelfLoopPolicy.Drop)
            : SparseGraph.FromEdges(ids.Length, edges.Select(e => (e.U, e.V)), directed: false, SelfLoopPolicy.Drop);
        if (normalizeFeatures) RowNormalize(features);

        int[] train, val, test;
        string source;
        if (split is not null)
        {
            (train, val, test) = ReadSplit(split, index, labels);
            source = "file";
        }
        else if (!requireSplit && labels.Count(l => l != Unlabelled) < 2)
            (train, val, test, source) = ([], [], [], "none");
        else
        {
            try
            {
                (train, val, test) = DrawSplit(name, labels, classNames.Length, new Rng(splitSeed));
                source = "generated";
            }
            catch (InvalidDataException) when (!requireSplit)
            {
                (train, val, test, source) = ([], [], [], "none");
            }
        }
        return new CitationGraph
        {
            Graph = graph, Features = features, Labels = labels, ClassNames = classNames, NodeIds = ids,
            Train = train, Val = val, Test = test, SplitSource = source,
            Name = name, EdgeFile = Path.GetFileName(edgeFile),
        };
    }

    private static string? FindOne(string dir, string ext, bool required)
    {
        var files = Directory.GetFiles(dir, "*." + ext);
        if (files.Length > 1) throw new InvalidDataException($"data folder '{dir}' has {files.Length} .{ext} files; expected one");
        if (files.Length == 0 && required) throw new FileNotFoundException($"data folder '{dir}' has no .{ext} file");
        return files.Length == 1 ? files[0] : null;
    }

    private static (string[] Ids, CsrMatrix Features, int[] Labels, string[] Classes) ReadContent(string path, bool requireLabels)
    {
        string name = Path.GetFileName(path);
        var ids = new List<string>();
        var rawLabels = new List<(string? Label, int Line)>();
        var rowPtr = new List<int> { 0 };
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var cols = new List<int>();
        var vals = new List<float>();
        int width = -1, lineNo = 0;
        foreach (var line in InputFile.ReadLines(path))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length < 3) throw new InvalidDataException($"{name}:{lineNo}: expected id, features and label separated by tabs, got {fields.Length} field(s)");
            int f = fields.Length - 2;
            if (width < 0) width = f;
            else if (f != width) throw new InvalidDataException($"{name}:{lineNo}: {f} features, but the first row has {width}");
            for (int c = 0; c < f; c++)
            {
                var s = fields[c + 1];
                if (s == "0") continue;
                if (!float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{name}:{lineNo}: feature {c} is '{s}', not a number");
                if (v == 0) continue;
                cols.Add(c);
                vals.Add(v);
            }
            rowPtr.Add(cols.Count);
            if (fields[0].Trim().Length == 0) throw new InvalidDataException($"{name}:{lineNo}: empty node id");
            if (!seenIds.Add(fields[0])) throw new InvalidDataException($"{name}:{lineNo}: node id '{fields[0]}' appears twice");
            ids.Add(fields[0]);
            string label = fields[^1].Trim();
            rawLabels.Add((label is "" or "-1" ? null : label, lineNo));
        }
        if (ids.Count == 0) throw new InvalidDataException($"{name}: no nodes");
        var (labels, classes) = MapLabels(name, rawLabels, requireLabels);
        var x = new CsrMatrix(ids.Count, width, rowPtr.ToArray(), cols.ToArray(), vals.ToArray());
        return (ids.ToArray(), x, labels, classes);
    }

    /// <summary>
    /// Integer labels are class indices (classes 0..max); otherwise every distinct string is a
    /// class, numbered in ordinal order. A file that mixes the two has an unknown label. Missing
    /// labels (null) become <see cref="Unlabelled"/>.
    /// </summary>
    private static (int[] Labels, string[] Classes) MapLabels(string file, List<(string? Label, int Line)> raw, bool requireLabels)
    {
        var labels = new int[raw.Count];
        Array.Fill(labels, Unlabelled);
        var given = Enumerable.Range(0, raw.Count).Where(i => raw[i].Label is not null).ToList();
        if (given.Count == 0 && !requireLabels) return (labels, []);
        if (given.Count == 0) throw new InvalidDataException($"{file}: no node has a label (an empty label or -1 means none)");
        bool numeric = int.TryParse(raw[given[0]].Label, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (numeric)
        {
            foreach (int i in given)
                if (!int.TryParse(raw[i].Label, NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                    throw new InvalidDataException($"{file}:{raw[i].Line}: unknown label '{raw[i].Label}' (labels in this file are class indices 0, 1, …)");
            int count = given.Max(i => labels[i]) + 1;
            return (labels, Enumerable.Range(0, count).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        var classes = given.Select(i => raw[i].Label!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (int i in given)
        {
            if (int.TryParse(raw[i].Label, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new InvalidDataException($"{file}:{raw[i].Line}: unknown label '{raw[i].Label}' (labels in this file are class names)");
            labels[i] = Array.BinarySearch(classes, raw[i].Label, StringComparer.Ordinal);
        }
        return (labels, classes);
    }

    /// <summary>
    /// Reads the edges: a .cites file (fields separated by tabs or spaces, no header) or a .csv
    /// file (comma-separated, header first); two columns, or three with a weight on every line.
    /// An edge given twice with different weights is an error.
    /// </summary>
    private static (List<(int U, int V, float W)> Edges, bool Weighted) ReadEdges(string path, Dictionary<string, int> index, bool csv)
    {
        string name = Path.GetFileName(path);
        var edges = new List<(int, int, float)>();
        var seen = new Dictionary<(int, int), (float W, int Line)>();
        int lineNo = 0, columns = 0;
        bool header = csv;
        foreach (var line in InputFile.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var f = csv
                ? CsvFields(line, name, lineNo)
                : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (header)
            {
                header = false;
                if (f.Length is not (2 or 3)) throw new InvalidDataException($"{name}:{lineNo}: the header should name 2 or 3 columns (source,target or source,target,weight), got {f.Length}");
                if (index.ContainsKey(f[0]) && index.ContainsKey(f[1]) && (f.Length == 2 || float.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                    throw new InvalidDataException($"{name}:{lineNo}: looks like an edge, not a header; a .csv edge list starts with a header line such as source,target or source,target,weight");
                columns = f.Length;
                continue;
            }
            if (f.Length is not (2 or 3)) throw new InvalidDataException($"{name}:{lineNo}: expected two node ids and an optional weight, got {f.Length} field(s)");
            if (columns == 0) columns = f.Length;
            else if (f.Length != columns)
                throw new InvalidDataException($"{name}:{lineNo}: {f.Length} field(s), but {(csv ? "the header has" : "the first edge has")} {columns} (a weight must be given on every line or on none)");
            if (!index.TryGetValue(f[0], out int u)) throw new InvalidDataException($"{name}:{lineNo}: edge to unknown node '{f[0]}'");
            if (!index.TryGetValue(f[1], out int v)) throw new InvalidDataException($"{name}:{lineNo}: edge to unknown node '{f[1]}'");
            float w = 1f;
            if (f.Length == 3 && (!float.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out w) || !float.IsFinite(w) || w <= 0))
                throw new InvalidDataException($"{name}:{lineNo}: weight '{f[2]}' is not a positive number");
            var key = u < v ? (u, v) : (v, u);
            if (seen.TryGetValue(key, out var earlier))
            {
                if (earlier.W != w)
                    throw new InvalidDataException($"{name}:{lineNo}: edge {f[0]}–{f[1]} has weight {f[2]}, but line {earlier.Line} gave it {earlier.W.ToString(CultureInfo.InvariantCulture)}");
            }
            else seen[key] = (w, lineNo);
            edges.Add((u, v, w));
        }
        return (edges, columns == 3);
    }

    // The comma-separated fields of a CSV line, trimmed; a field in double quotes may hold commas,
    // and "" inside it is one quote (RFC 4180, one line per record).
    private static string[] CsvFields(string line, string file, int lineNo)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            if (i < line.Length && line[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= line.Length) throw new InvalidDataException($"{file}:{lineNo}: a quoted field is not closed");
                    if (line[i] != '"') field.Append(line[i]);
                    else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                    else { i++; break; }
                }
                while (i < line.Length && line[i] is ' ' or '\t') i++;
                if (i < line.Length && line[i] != ',') throw new InvalidDataException($"{file}:{lineNo}: text after a quoted field");
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
                field = new System.Text.StringBuilder(field.ToString().Trim());
            }
            fields.Add(field.ToString());
            field.Clear();
            if (i >= line.Length) return fields.ToArray();
            i++; // the comma
        }
    }

    private static (int[], int[], int[]) ReadSplit(string path, Dictionary<string, int> index, int[] labels)
    {
        string name = Path.GetFileName(path);
        var sets = new Dictionary<string, int[]>();
        var owner = new Dictionary<int, string>();
        int lineNo = 0;
        foreach (var line in InputFile.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var parts = line.Split('\t');
            string set = parts[0].Trim();
            if (set is not ("train" or "val" or "test")) throw new InvalidDataException($"{name}:{lineNo}: unknown split '{set}' (expected train, val or test)");
            if (sets.ContainsKey(set)) throw new InvalidDataException($"{name}:{lineNo}: split '{set}' given twice");
            var ids = parts.Length < 2 ? Array.Empty<string>() : parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length > 2) throw new InvalidDataException($"{name}:{lineNo}: expected '<split>\\t<comma-separated ids>'");
            if (ids.Length == 0) throw new InvalidDataException($"{name}:{lineNo}: split '{set}' is empty");
            var nodes = new int[ids.Length];
            for (int k = 0; k < ids.Length; k++)
            {
                if (!index.TryGetValue(ids[k], out nodes[k])) throw new InvalidDataException($"{name}:{lineNo}: split '{set}' names unknown node '{ids[k]}'");
                if (labels[nodes[k]] == Unlabelled) throw new InvalidDataException($"{name}:{lineNo}: split '{set}' names node '{ids[k]}', which has no label");
                if (!owner.TryAdd(nodes[k], set)) throw new InvalidDataException($"{name}:{lineNo}: node '{ids[k]}' is already in split '{owner[nodes[k]]}'");
            }
            sets[set] = nodes;
        }
        foreach (var s in new[] { "train", "val", "test" })
            if (!sets.ContainsKey(s)) throw new InvalidDataException($"{name}: split '{s}' is missing");
        return (sets["train"], sets["val"], sets["test"]);
    }

    /// <summary>
    /// The split drawn without a .split file, from the labelled nodes in a seeded random order:
    /// per class the first min(20, ⌊2n/3⌋, at least 1) of its n nodes train; of the rest, a third
    /// (at least 1, at most 500) validate and the others (at most 1,000) test.
    /// </summary>
    private static (int[], int[], int[]) DrawSplit(string name, int[] labels, int classes, Rng rng)
    {
        var order = Enumerable.Range(0, labels.Length).Where(i => labels[i] != Unlabelled).ToArray();
        int n = order.Length;
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var size = new int[classes];
        foreach (int i in order) size[labels[i]]++;
        var quota = size.Select(c => Math.Max(1, Math.Min(20, 2 * c / 3))).ToArray();
        var taken = new int[classes];
        var train = new List<int>();
        var rest = new List<int>();
        foreach (int i in order)
        {
            if (taken[labels[i]] < quota[labels[i]]) { taken[labels[i]]++; train.Add(i); }
            else rest.Add(i);
        }
        if (rest.Count < 2)
            throw new InvalidDataException($"{name}: {n} labelled node(s) are too few to draw a train/val/test split (at least 2 must remain after training takes up to two thirds of each class); "
                + $"give a {name}.split file with three lines 'train<TAB>id,id,…', 'val<TAB>id,…', 'test<TAB>id,…'");
        int nVal = Math.Min(500, Math.Max(1, rest.Count / 3)), nTest = Math.Min(1000, rest.Count - nVal);
        return (train.Order().ToArray(), rest.Take(nVal).Order().ToArray(), rest.Skip(nVal).Take(nTest).Order().ToArray());
    }

    /// <summary>Divides each row by its sum (rows summing to zero are left alone), as Kipf's preprocessing.</summary>
    public static void RowNormalize(CsrMatrix x)
    {
        for (int r = 0; r < x.Rows; r++)
        {
            var v = x.Values.AsSpan(x.RowPtr[r], x.RowPtr[r + 1] - x.RowPtr[r]);
            float s = TensorPrimitives.Sum(v);
            if (s != 0) TensorPrimitives.Multiply(v, 1f / s, v);
        }
    }
}
