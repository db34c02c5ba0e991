using System.Diagnostics;

namespace SeqGraph.Tests;

/// <summary>Runs the real seqgraph executable (built next to the tests) as a user would.</summary>
public class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args) => RunWithEnvironment(new(), args);

    /// <summary>Runs the CLI with extra environment variables set for the child process.</summary>
    internal static (int Code, string Out, string Err) RunWithEnvironment(Dictionary<string, string> environment, params string[] args) =>
        RunProgram("SeqGraph.Cli", environment, args);

    /// <summary>Runs one of the executables built next to the tests (the CLI or a sample) and collects its output.</summary>
    internal static (int Code, string Out, string Err) RunProgram(string name, Dictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Starts the CLI with standard input, output and error redirected, for tests that talk to a running process.</summary>
    internal static Process Start(params string[] args) => StartIn(null, args);

    /// <summary><see cref="Start"/> in the working folder <paramref name="workingDirectory"/> (null: this process's).</summary>
    internal static Process StartIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SeqGraph.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Waits (up to two minutes) until the file <paramref name="path"/> has at least <paramref name="lines"/> lines: a run that is under way.</summary>
    internal static void WaitForLines(string path, int lines)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((!File.Exists(path) || File.ReadAllLines(path).Length < lines) && DateTime.UtcNow < deadline) Thread.Sleep(20);
    }

    /// <summary>Sends SIGINT (Ctrl-C) to <paramref name="p"/>; with <paramref name="wait"/>, asserts it then exits within a minute.</summary>
    internal static void Interrupt(Process p, bool wait = true)
    {
        using (var kill = Process.Start("kill", $"-INT {p.Id}")!) kill.WaitForExit();
        if (wait) Assert.True(p.WaitForExit(60_000), "the process did not stop after SIGINT");
    }

    /// <summary>Asserts a usage error: exit code 2 and exactly one stderr line, "seqgraph: error: …" containing <paramref name="contains"/>.</summary>
    internal static void AssertOneErrorLine(int code, string err, string contains)
    {
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seqgraph: error: ", lines[0]);
        Assert.Contains(contains, lines[0]);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("bench", output);
    }

    [Fact]
    public void VersionPrints()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("bench", "gemm", "--threads", "0")]
    [InlineData("bench", "gemm", "--threads", "two")]
    [InlineData("nosuchcommand")]
    public void BadUsageGivesOneLineAndExitCode2(params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seqgraph: error:", lines[0]);
        Assert.DoesNotContain("   at ", err);
    }
}
