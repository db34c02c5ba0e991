// The fuzz harness (issue 15). Seeded mutants of checkpoints, corpora, graph files and option values,
// each run through the real command tree (SeqGraph.Cli's CliApp.Run) in a worker process, on its own
// thread with a timeout, and classified: ok, rejected (exit 2, one line naming the mutated file or
// option), diverged (exit 3) — or a defect: internal error, hang, silently accepted corruption, bad
// message, over-memory. Case K of seed S is the same mutant on every run (--replay K shows it whole).
//
//   dotnet SeqGraph.Fuzz.dll [--seed S] [--count N] [--family checkpoints,corpora,graphs,options]
//                            [--out table.md|table.json] [--timeout SECONDS] [--replay K] [--keep] [--work DIR] [--shown N]
//
// Exit code: 0 without defects, 1 with defects (the table lists them), 2 for a bad harness option.
// bench/fuzz.sh runs 10,000 and writes the table into docs/RELIABILITY.md; FuzzTests runs a few hundred.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SeqGraph.Fuzz;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (FuzzOptions.Parse(args) is not { } o) return 2;
var realOut = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var realErr = Console.Error;
if (o.WorkerFrom >= 0) return Worker.Run(o, realOut);

Directory.CreateDirectory(o.Work);
var clock = Stopwatch.StartNew();
List<CaseResult> results;
if (o.Replay >= 0)
{
    // one case, in this process, shown whole
    using var signals = Worker.Prepare();
    var baseline = Baseline.Make(Path.Combine(o.Work, "base"));
    CaseConsole.Bind(TextWriter.Null, TextWriter.Null);
    Worker.EnterSandbox(o.Work);
    var c = Worker.MakeCase(o, baseline, o.Replay);
    var r = CaseRunner.Run(c, TimeSpan.FromSeconds(o.Timeout));
    realErr.WriteLine($"case {c.Index} ({c.Family}): {c.Mutation}");
    realErr.WriteLine($"seqgraph {string.Join(' ', c.Args.Select(a => a.Length > 200 ? $"'{a[..20]}…' ({a.Length} chars)" : a.Length == 0 || a.Contains(' ') ? $"'{a}'" : a))}");
    realErr.WriteLine($"exit {r.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"} in {r.Milliseconds:F0} ms, heap +{r.PeakHeapBytes >> 20} MB (bound {CaseRunner.MemoryBound(c) >> 20} MB), {r.AllocatedBytes >> 20} MB allocated: {r.Outcome}{(r.Why.Length > 0 ? $" ({r.Why})" : "")}");
    realErr.WriteLine("stderr:");
    realErr.Write(r.Stderr);
    if (o.Keep) realErr.WriteLine($"files kept in {Path.Combine(o.Work, $"case-{c.Index}")}");
    results = [r];
}
else
{
    using (Worker.Prepare()) Baseline.Make(Path.Combine(o.Work, "base"));
    results = Supervisor.Run(o, realErr);
}
double seconds = clock.Elapsed.TotalSeconds;
string cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "" : "";
string runLine = string.Create(CultureInfo.InvariantCulture,
    $"Seed {o.Seed}, {results.Count:N0} cases in {seconds:F0} s ({results.Count / Math.Max(seconds, 1e-9):F1} cases/s), timeout {o.Timeout} s; " +
    $"{Environment.ProcessorCount} cores{(cpu.Length > 0 ? $" ({cpu})" : "")}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
    $"memory bound per case {CaseRunner.BaseMemoryBound >> 20} MB + {CaseRunner.BytesPerInputByte} × input bytes, heap hard limit 1 GB.");
string md = OutcomeTable.Markdown(results, o.Families, o.Seed, runLine, o.Shown, o.Work);
realOut.Write(md);
realOut.Flush();
if (o.Out is not null)
    File.WriteAllText(o.Out, o.Out.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OutcomeTable.Json(results, o.Families, o.Seed, runLine) : md);
if (!o.Keep)
{
    try { Directory.Delete(o.Work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}
return results.Any(r => r.IsDefect) ? 1 : 0;
