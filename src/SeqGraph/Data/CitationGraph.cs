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

    /// <summary>Class index per node.</summary>
    public required int[] Labels { get; init; }

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

    /// <summary>"file" when a .split file was read, "generated" otherwise.</summary>
    public required string SplitSource { get; init; }

    /// <summary>Short name (the content file's name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>Number of nodes.</summary>
    public int NumNodes => Labels.Length;

    /// <summary>Number of features.</summary>
    public int NumFeatures => Features.Cols;

    /// <summary>Number of classes.</summary>
    public int NumClasses => ClassNames.Length;

    /// <summary>Nodes per class within <paramref name="nodes"/>.</summary>
    public int[] ClassCounts(IEnumerable<int> nodes)
    {
        var c = new int[NumClasses];
        foreach (int i in nodes) c[Labels[i]]++;
        return c;
    }

    /// <summary>
    /// Loads <c>*.content</c>, <c>*.cites</c> and (optional) <c>*.split</c> from a folder: the
    /// plain-text Planetoid format of <c>data/graphs/cora</c> or the classic LINQS files (string
    /// paper ids, string class names). Without a split file a Planetoid-style split is drawn:
    /// 20 nodes per class for training, then 500 validation and 1,000 test nodes (seed
    /// <paramref name="splitSeed"/>). Malformed input raises <see cref="InvalidDataException"/>
    /// naming the file and line.
    /// </summary>
    public static CitationGraph Load(string directory, bool normalizeFeatures = true, ulong splitSeed = 0)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"data folder '{directory}' does not exist");
        string content = FindOne(directory, "content", required: true)!;
        string cites = FindOne(directory, "cites", required: true)!;
        string? split = FindOne(directory, "split", required: false);

        var (ids, features, labels, classNames) = ReadContent(content);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
            if (!index.TryAdd(ids[i], i)) throw new InvalidDataException($"{Path.GetFileName(content)}:{i + 1}: node id '{ids[i]}' appears twice");
        var edges = ReadCites(cites, index);
        var graph = SparseGraph.FromEdges(ids.Length, edges, directed: false, SelfLoopPolicy.Drop);
        if (normalizeFeatures) RowNormalize(features);

        int[] train, val, test;
        string source;
        if (split is not null)
        {
            (train, val, test) = ReadSplit(split, index);
            source = "file";
        }
        else
        {
            (train, val, test) = DrawSplit(labels, classNames.Length, new Rng(splitSeed));
            source = "generated";
        }
        return new CitationGraph
        {
            Graph = graph, Features = features, Labels = labels, ClassNames = classNames, NodeIds = ids,
            Train = train, Val = val, Test = test, SplitSource = source,
            Name = Path.GetFileNameWithoutExtension(content),
        };
    }

    private static string? FindOne(string dir, string ext, bool required)
    {
        var files = Directory.GetFiles(dir, "*." + ext);
        if (files.Length > 1) throw new InvalidDataException($"data folder '{dir}' has {files.Length} .{ext} files; expected one");
        if (files.Length == 0 && required) throw new FileNotFoundException($"data folder '{dir}' has no .{ext} file");
        return files.Length == 1 ? files[0] : null;
    }

    private static (string[] Ids, CsrMatrix Features, int[] Labels, string[] Classes) ReadContent(string path)
    {
        string name = Path.GetFileName(path);
        var ids = new List<string>();
        var rawLabels = new List<string>();
        var rowPtr = new List<int> { 0 };
        var cols = new List<int>();
        var vals = new List<float>();
        int width = -1, lineNo = 0;
        foreach (var line in File.ReadLines(path))
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
            ids.Add(fields[0]);
            string label = fields[^1].Trim();
            if (label.Length == 0) throw new InvalidDataException($"{name}:{lineNo}: empty label");
            rawLabels.Add(label);
        }
        if (ids.Count == 0) throw new InvalidDataException($"{name}: no nodes");
        var (labels, classes) = MapLabels(name, rawLabels);
        var x = new CsrMatrix(ids.Count, width, rowPtr.ToArray(), cols.ToArray(), vals.ToArray());
        return (ids.ToArray(), x, labels, classes);
    }

    /// <summary>
    /// Integer labels are class indices (classes 0..max); otherwise every distinct string is a
    /// class, numbered in ordinal order. A file that mixes the two has an unknown label.
    /// </summary>
    private static (int[] Labels, string[] Classes) MapLabels(string file, List<string> raw)
    {
        bool numeric = int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        var labels = new int[raw.Count];
        if (numeric)
        {
            for (int i = 0; i < raw.Count; i++)
                if (!int.TryParse(raw[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                    throw new InvalidDataException($"{file}:{i + 1}: unknown label '{raw[i]}' (labels in this file are class indices 0, 1, …)");
            int count = labels.Max() + 1;
            return (labels, Enumerable.Range(0, count).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        var classes = raw.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < raw.Count; i++)
        {
            if (int.TryParse(raw[i], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new InvalidDataException($"{file}:{i + 1}: unknown label '{raw[i]}' (labels in this file are class names)");
            labels[i] = Array.BinarySearch(classes, raw[i], StringComparer.Ordinal);
        }
        return (labels, classes);
    }

    private static List<(int, int)> ReadCites(string path, Dictionary<string, int> index)
    {
        string name = Path.GetFileName(path);
        var edges = new List<(int, int)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 2) throw new InvalidDataException($"{name}:{lineNo}: expected two node ids, got {f.Length} field(s)");
            if (!index.TryGetValue(f[0], out int u)) throw new InvalidDataException($"{name}:{lineNo}: edge to unknown node '{f[0]}'");
            if (!index.TryGetValue(f[1], out int v)) throw new InvalidDataException($"{name}:{lineNo}: edge to unknown node '{f[1]}'");
            edges.Add((u, v));
        }
        return edges;
    }

    private static (int[], int[], int[]) ReadSplit(string path, Dictionary<string, int> index)
    {
        string name = Path.GetFileName(path);
        var sets = new Dictionary<string, int[]>();
        var owner = new Dictionary<int, string>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
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
                if (!owner.TryAdd(nodes[k], set)) throw new InvalidDataException($"{name}:{lineNo}: node '{ids[k]}' is already in split '{owner[nodes[k]]}'");
            }
            sets[set] = nodes;
        }
        foreach (var s in new[] { "train", "val", "test" })
            if (!sets.ContainsKey(s)) throw new InvalidDataException($"{name}: split '{s}' is missing");
        return (sets["train"], sets["val"], sets["test"]);
    }

    /// <summary>Planetoid-style split: per class 20 training nodes, then 500 validation and 1,000 test nodes from the rest.</summary>
    private static (int[], int[], int[]) DrawSplit(int[] labels, int classes, Rng rng)
    {
        int n = labels.Length;
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var taken = new int[classes];
        var train = new List<int>();
        var rest = new List<int>();
        foreach (int i in order)
        {
            if (taken[labels[i]] < 20) { taken[labels[i]]++; train.Add(i); }
            else rest.Add(i);
        }
        int nVal = Math.Min(500, rest.Count / 3), nTest = Math.Min(1000, rest.Count - nVal);
        if (train.Count == 0 || nVal == 0 || nTest == 0) throw new InvalidDataException($"too few nodes ({n}) to draw a train/val/test split; give a .split file");
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
