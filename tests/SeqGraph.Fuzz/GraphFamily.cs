using System.Text;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// Mutants of the baseline graph's files (small.content, small.cites, small.split): bad numbers,
/// negative or huge ids, self loops, duplicate edges, invalid UTF-8, missing or extra columns, empty
/// or deleted files, byte edits — run through <c>graph train</c> (2 epochs), <c>graph inspect</c> or
/// <c>graph predict --data</c>. Right: a tiny run, or one line naming the file.
/// </summary>
internal static class GraphFamily
{
    /// <summary>The family's name on the command line and in the table.</summary>
    public const string Name = "graphs";

    private static readonly string[] BadFields = ["abc", "-1", "1e999", "NaN", "Infinity", "-Infinity", "99999999999999999999", "", "0x10", "\u0663", "1,5", " ", "1e-45", "-0"];

    /// <summary>Makes case <paramref name="index"/> in <paramref name="dir"/>.</summary>
    public static FuzzCase Make(Rng rng, Baseline b, string dir, int index)
    {
        string data = Path.Combine(dir, "data");
        Baseline.Copy(b.Data, data);
        int pick = rng.NextInt(10);
        string file = Path.Combine(data, pick < 4 ? "small.content" : pick < 8 ? "small.cites" : "small.split");
        byte[] before = File.ReadAllBytes(file);
        var lines = Encoding.UTF8.GetString(before).Split('\n').Where(l => l.Length > 0).ToList();
        string mutation;
        byte[]? after = null;
        int line = rng.NextInt(lines.Count);
        string[] fields = lines[line].Split('\t');
        int field = rng.NextInt(fields.Length);
        switch (rng.NextInt(14))
        {
            case 0 or 1:
                fields[field] = BadFields[rng.NextInt(BadFields.Length)];
                lines[line] = string.Join('\t', fields);
                mutation = $"line {line + 1} field {field + 1} -> '{fields[field]}'";
                break;
            case 2:
                fields[0] = "-" + fields[0];
                lines[line] = string.Join('\t', fields);
                mutation = $"line {line + 1}: negative id";
                break;
            case 3:
                lines.Add($"{fields[0]}\t{fields[0]}");
                mutation = "a self loop";
                break;
            case 4:
                lines.Insert(rng.NextInt(lines.Count + 1), lines[line]);
                mutation = $"line {line + 1} twice";
                break;
            case 5:
            {
                byte[] bad = Mutate.InvalidUtf8[rng.NextInt(Mutate.InvalidUtf8.Length)];
                int at = Encoding.UTF8.GetByteCount(string.Concat(lines.Take(line).Select(l => l + "\n"))) + rng.NextInt(Math.Max(1, lines[line].Length));
                var text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
                after = [.. text[..at], .. bad, .. text[at..]];
                mutation = $"invalid UTF-8 in line {line + 1}";
                break;
            }
            case 6:
                fields[0] = new string('9', 40);
                lines[line] = string.Join('\t', fields);
                mutation = $"line {line + 1}: a 40-digit id";
                break;
            case 7:
                lines[line] = string.Join('\t', fields.Take(Math.Max(1, fields.Length - 1 - rng.NextInt(fields.Length))));
                mutation = $"line {line + 1}: columns missing";
                break;
            case 8:
                lines[line] += "\t" + BadFields[rng.NextInt(BadFields.Length)];
                mutation = $"line {line + 1}: an extra column";
                break;
            case 9:
                after = [];
                mutation = "empty";
                break;
            case 10:
                File.Delete(file);
                mutation = "deleted";
                break;
            case 11:
                fields[0] = new string('n', 10_000);
                lines[line] = string.Join('\t', fields);
                mutation = $"line {line + 1}: a 10,000-character id";
                break;
            case 12:
                // numeric ids written two ways: every id renamed to a number, one occurrence with a leading zero
                mutation = "numeric ids, one written 01";
                foreach (var f in Directory.EnumerateFiles(data))
                {
                    string t = File.ReadAllText(f);
                    for (int c = 0; c < 3; c++)
                        for (int k = 5; k >= 0; k--) t = t.Replace($"{"ABC"[c]}{k}", $"{c * 6 + k + 1}");
                    File.WriteAllText(f, t);
                }
                before = File.ReadAllBytes(file);
                lines = Encoding.UTF8.GetString(before).Split('\n').Where(l => l.Length > 0).ToList();
                fields = lines[line].Split('\t');
                if (fields[0].All(char.IsAsciiDigit)) fields[0] = "0" + fields[0];
                lines[line] = string.Join('\t', fields);
                break;
            default:
                (after, mutation) = Mutate.Bytes(rng, before);
                break;
        }
        if (File.Exists(file) || after is not null) File.WriteAllBytes(file, after ?? Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        string cites = Path.Combine(data, "small.cites");
        string[] args = rng.NextInt(8) switch
        {
            < 5 => ["graph", "train", "--data", data, "--epochs", "2", "--seeds", "0", "--hidden", "4", "--threads", "1", "--out", Path.Combine(dir, "run")],
            < 7 => ["graph", "inspect", "--edges", cites],
            _ => ["graph", "predict", "--run", b.GraphRun, "--data", data, "--out", Path.Combine(dir, "p.csv"), "--threads", "1"],
        };
        // an edit of one file may show as an inconsistency in another (an id renamed in .content is an unknown node in .cites): any of the data's files is named rightly
        string[] names = [.. Directory.EnumerateFiles(b.Data).Select(Path.GetFileName)!, file, .. (File.Exists(file) ? Array.Empty<string>() : [data])];
        return new FuzzCase(Name, index, args, $"{Path.GetFileName(file)}: {mutation}", names, InputBytes: before.Length + 10_000);
    }
}
