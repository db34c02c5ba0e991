using System.Text.RegularExpressions;

namespace SeqGraph.Tests;

/// <summary>
/// The dashboard project keeps the library's rules: one public type per file, named as the file,
/// all in namespace SeqGraph.Web, and it uses the library (Experiments and below) but never the CLI.
/// </summary>
public class WebArchitectureTests
{
    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Path.Combine(SampleTests.RepoRoot(), "src", "SeqGraph.Web"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void EveryWebFileDeclaresOneTypeNamedAfterItInTheWebNamespace()
    {
        var files = Sources().ToList();
        Assert.NotEmpty(files);
        var wrong = new List<string>();
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            string name = Path.GetFileNameWithoutExtension(file);
            var types = Regex.Matches(text, @"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial)\s+)*(?:class|record struct|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).ToList();
            if (types.Count != 1 || types[0] != name) wrong.Add($"{Path.GetFileName(file)}: {string.Join(", ", types)}");
            if (!Regex.IsMatch(text, @"^namespace SeqGraph\.Web;", RegexOptions.Multiline)) wrong.Add($"{Path.GetFileName(file)}: not in namespace SeqGraph.Web");
            if (Regex.IsMatch(Regex.Replace(text, @"//.*", ""), @"\bSeqGraph\.Cli\b")) wrong.Add($"{Path.GetFileName(file)}: uses the CLI");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
