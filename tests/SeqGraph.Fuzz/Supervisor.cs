using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SeqGraph.Fuzz;

/// <summary>
/// Runs the cases in worker processes (this program with --worker-from): reads their results, starts
/// a new worker after one that abandoned a hung case, and records a worker that dies (a crash, a
/// stack overflow, a fail-fast) as an internal error of the case it was running.
/// </summary>
internal static class Supervisor
{
    /// <summary>Runs cases 0 … Count − 1; returns their results in order.</summary>
    public static List<CaseResult> Run(FuzzOptions o, TextWriter log)
    {
        var results = new List<CaseResult>();
        int next = 0;
        var clock = Stopwatch.StartNew();
        while (next < o.Count)
        {
            var psi = Start();
            foreach (var a in o.WorkerArgs(next)) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stderr = new System.Text.StringBuilder();
            p.ErrorDataReceived += (_, e) => { if (e.Data is { } d) lock (stderr) stderr.AppendLine(d); };
            p.BeginErrorReadLine();
            int running = -1;
            while (p.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("start ", StringComparison.Ordinal)) { running = int.Parse(line[6..], CultureInfo.InvariantCulture); continue; }
                var r = JsonSerializer.Deserialize<CaseResult>(line)!;
                results.Add(r);
                running = -1;
                next = r.Case.Index + 1;
                if (r.IsDefect) log.WriteLine($"case {r.Case.Index}: {r.Outcome}: {r.Case.Mutation}: {r.ErrorLine}");
                if (results.Count % 500 == 0) log.WriteLine($"{results.Count} cases, {results.Count(x => x.IsDefect)} defects, {clock.Elapsed.TotalSeconds:F0} s");
            }
            p.WaitForExit();
            if (p.ExitCode is 0 or Worker.Abandoned) continue;
            if (running < 0) throw new InvalidOperationException($"a worker failed between cases (exit {p.ExitCode}): {stderr}");
            // the process died inside a case: that case is an internal error (regenerated for the report)
            var c = Worker.MakeCase(o, Baseline.Open(Path.Combine(o.Work, "base")), running);
            var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string last = lines.FirstOrDefault(l => l.StartsWith("Unhandled exception", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "";
            results.Add(new CaseResult(c, Outcome.InternalError, p.ExitCode, last, $"the process died (exit {p.ExitCode})", 0, 0, 0, stderr.ToString()));
            log.WriteLine($"case {running}: the worker died (exit {p.ExitCode}): {c.Mutation}");
            next = running + 1;
        }
        return results;
    }

    /// <summary>This program again: the apphost, or dotnet with this assembly.</summary>
    private static ProcessStartInfo Start()
    {
        string host = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(typeof(Supervisor).Assembly.Location);
        return psi;
    }
}
