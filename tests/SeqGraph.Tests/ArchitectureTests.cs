using System.Text.RegularExpressions;

namespace SeqGraph.Tests;

/// <summary>
/// The rooms of src/SeqGraph and the direction of their dependencies (docs/ARCHITECTURE.md has the
/// map), read from the sources: a using or a qualified name that points up, or sideways where the
/// map has no edge, fails here. Also: every file is named after the one type it declares.
/// </summary>
public class ArchitectureTests
{
    /// <summary>Which rooms each room may use (besides itself and the root namespace).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Random"] = Array.Empty<string>(),
        ["Tensors"] = new[] { "Random" },
        ["Autograd"] = new[] { "Tensors", "Random" },
        ["Data"] = new[] { "Tensors", "Random" },
        ["Optim"] = new[] { "Tensors", "Random" },
        ["Reporting"] = Array.Empty<string>(),
        ["Nn"] = new[] { "Autograd", "Tensors", "Data", "Random" },
        ["IO"] = new[] { "Nn", "Tensors", "Random", "Reporting" },
        ["Training"] = new[] { "IO", "Nn", "Optim", "Data", "Autograd", "Tensors", "Random" },
        ["Interop"] = new[] { "Training", "IO", "Nn", "Optim", "Data", "Autograd", "Tensors", "Random" },
        ["Experiments"] = new[] { "Interop", "Training", "IO", "Nn", "Optim", "Data", "Autograd", "Tensors", "Random", "Reporting" },
    };

    private static string Library => Path.Combine(SampleTests.RepoRoot(), "src", "SeqGraph");

    private static IEnumerable<string> Sources(string root) => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void RoomsDependOnlyDownward()
    {
        var wrong = new List<string>();
        foreach (var file in Sources(Library))
        {
            string text = File.ReadAllText(file);
            string ns = Regex.Match(text, @"^namespace ([\w.]+)", RegexOptions.Multiline).Groups[1].Value;
            string[] parts = ns.Split('.');
            Assert.True(parts[0] == "SeqGraph", $"{file}: namespace {ns}");
            string folder = Path.GetRelativePath(Library, file).Split(Path.DirectorySeparatorChar)[0];
            string room = parts.Length > 1 ? parts[1] : "(root)";
            if (room != "(root)" && folder != room) wrong.Add($"{Path.GetRelativePath(Library, file)} declares {ns} outside its folder");
            if (room == "(root)") continue;
            Assert.True(Allowed.ContainsKey(room), $"room {room} is not on the map");
            string code = Regex.Replace(text, @"//.*", "");
            var used = Regex.Matches(code, @"^using (?:static )?SeqGraph\.(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
                .Concat(Regex.Matches(code, @"\bSeqGraph\.(\w+)\.\w").Select(m => m.Groups[1].Value))
                .Where(Allowed.ContainsKey).Distinct();
            foreach (var u in used)
                if (u != room && !Allowed[room].Contains(u)) wrong.Add($"{Path.GetRelativePath(Library, file)}: {room} uses {u}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void EveryFileIsNamedAfterTheTypeItDeclares()
    {
        var wrong = new List<string>();
        foreach (var file in Sources(Library).Concat(Sources(Path.Combine(SampleTests.RepoRoot(), "src", "SeqGraph.Cli"))))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (name == "Program") continue;
            string typeName = name.Split('.')[0];                       // Ops.Loss.cs holds part of Ops
            var types = Regex.Matches(File.ReadAllText(file), @"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|unsafe|partial)\s+)*(partial\s+)?(?:class|record struct|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)
                .Select(m => (Partial: m.Value.Contains(" partial "), Name: m.Groups[2].Value)).ToList();
            // a part of a partial type may be named Type.Part.cs or TypePart.cs (GemmKernelAvx2.cs holds part of Gemm)
            bool ok = types.Count > 0 && types.All(t => t.Name == typeName || (t.Partial && types.Count == 1 && name.StartsWith(t.Name, StringComparison.Ordinal)));
            if (!ok) wrong.Add($"{Path.GetFileName(file)}: {string.Join(", ", types.Select(t => t.Name))}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
