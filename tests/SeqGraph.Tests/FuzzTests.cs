namespace SeqGraph.Tests;

/// <summary>
/// A bounded, seeded sample of the fuzz harness (tests/SeqGraph.Fuzz, run as a child process): mutants
/// of checkpoints, corpora, graph files and option values through the real command tree. Every case
/// must be ok, rejected with one line naming the file or option, or diverged: no internal error, hang,
/// silently accepted corruption, bad message or over-memory. On failure the message is the harness's
/// table and its defects, each with the <c>--replay</c> that shows it again. bench/fuzz.sh runs 10,000.
/// </summary>
public class FuzzTests
{
    private const int Cases = 200;

    [Fact]
    public void SeededMutantsOfEveryFamilyAreAcceptedOrRejectedInOneLine()
    {
        var (code, table, err) = CliTests.RunProgram("SeqGraph.Fuzz", new(), "--seed", "20261202", "--count", Cases.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shown", "2");
        // the harness ran every case (a table of fewer cases, or none, would be a broken harness, not a pass)
        Assert.True(table.Contains($"| **all** | {Cases} |", StringComparison.Ordinal), $"exit {code}\n{table}\n{err}");
        Assert.True(code == 0, "defects found (replay one with: dotnet SeqGraph.Fuzz.dll --seed 20261202 --count " + Cases + " --replay K)\n" + table);
    }
}
