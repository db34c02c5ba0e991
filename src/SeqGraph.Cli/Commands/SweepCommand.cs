using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Sweeps;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// <c>seqgraph sweep NOUN VERB … --grid "…"</c>: any run command over a grid (<see cref="Sweep"/>),
/// here or as a Slurm job array; <c>sweep status|collect DIR</c>; <c>sweep run-trial DIR N</c> (what
/// an array task runs). Each swept command's own options are offered under <c>sweep NOUN VERB</c>
/// (its --help lists them), except those the sweep sets for each trial.
/// </summary>
public static class SweepCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var sweep = new Command("sweep", "Run any experiment over a grid of option values, here or as a Slurm job array; see how its trials stand; collect their results");
        // fresh copies of the swept commands: their options move under sweep's own subcommands
        var nouns = new Dictionary<string, Command>(StringComparer.Ordinal)
        {
            ["rnn"] = RnnCommand.Create(), ["text"] = TextCommand.Create(), ["graph"] = GraphCommand.Create(),
        };
        foreach (var group in CliSweepTrialRunner.Swept.GroupBy(c => c.Split(' ')[0]))
        {
            var noun = new Command(group.Key, $"Sweep {string.Join(" or ", group.Select(c => $"'{c}'"))} over a grid");
            foreach (string command in group)
                noun.Subcommands.Add(ForCommand(command, (ExperimentCommand)nouns[group.Key].Subcommands.Single(s => s.Name == command.Split(' ')[1])));
            sweep.Subcommands.Add(noun);
        }
        sweep.Subcommands.Add(Status());
        sweep.Subcommands.Add(Collect());
        sweep.Subcommands.Add(RunTrial());
        return sweep;
    }

    private static readonly HashSet<string> Set = ["--out", "--force", "--json", "--resume", "--threads"];

    private static Command ForCommand(string command, ExperimentCommand experiment)
    {
        var cmd = new Command(experiment.Name, $"Sweep '{command}' over --grid: {experiment.Description}");
        var own = experiment.Options.Where(o => !Set.Contains(o.Name)).ToList();
        foreach (var o in own) cmd.Options.Add(o);
        var grid = new Option<string[]>("--grid") { Description = "The grid: name=values for options of the command, separated by spaces, e.g. \"model=rnn,lstm length=5:40:5 seed=0,1,2\" (a:b:s and a..b are integer ranges); may be given more than once", AllowMultipleArgumentsPerToken = false };
        var gridFile = new Option<string?>("--grid-file") { Description = "A file with one axis per line (name=values or name: values; # comments), added to --grid" };
        var output = new Option<string?>("--out") { Description = "The sweep folder: sweep.json, one run folder per trial (trial-001, …), results.csv, summary.json, charts (default under runs/); the same sweep again runs only its unfinished trials" };
        var force = new Option<bool>("--force") { Description = "Replace the sweep (or run) in --out with this one" };
        var executor = new Option<string>("--executor") { Description = "local | slurm", DefaultValueFactory = _ => "local" };
        var jobs = new Option<int>("--jobs") { Description = "local: trials at a time, the cores split between them", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "local: the engine's threads per trial (default: the cores / --jobs); results do not depend on it" };
        var partition = new Option<string?>("--partition") { Description = "slurm: #SBATCH --partition (default: the cluster's)" };
        var time = new Option<string?>("--time") { Description = "slurm: #SBATCH --time per trial, e.g. 00:30:00 (default: the partition's)" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "slurm: #SBATCH --cpus-per-task; each trial uses that many threads", DefaultValueFactory = _ => 1 };
        var mem = new Option<string?>("--mem") { Description = "slurm: #SBATCH --mem per trial, e.g. 2G (default: the cluster's)" };
        var maxRunning = new Option<int?>("--max-running") { Description = "slurm: at most this many trials at once (--array=…%N)" };
        var sbatch = new Option<string[]>("--sbatch") { Description = "slurm: one more #SBATCH option, e.g. --sbatch=--qos=short; may be given more than once", AllowMultipleArgumentsPerToken = false };
        var launcher = new Option<string?>("--launcher") { Description = "slurm: how a node starts seqgraph, e.g. \"/shared/tools/seqgraph\" (default: this program, as it was started)" };
        var json = Common.Json();
        foreach (var o in new Option[] { grid, gridFile, output, force, executor, jobs, threads, partition, time, cpus, mem, maxRunning, sbatch, launcher, json }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var axes = new List<SweepAxis>();
            foreach (string g in r.GetValue(grid) ?? []) axes.AddRange(SweepGrid.Parse(g));
            if (r.GetValue(gridFile) is { } file)
            {
                List<string> lines;
                try { lines = InputFile.ReadLines(file).ToList(); }
                catch (Exception e) when (InputError.Is(e)) { throw new UsageException($"--grid-file: {InputError.Message(e)}"); }
                axes.AddRange(SweepGrid.ParseFile(file, lines));
            }
            // an axis names an option of the swept command (or one the sweep sets: the config says which)
            var known = experiment.Options.Select(o => o.Name).ToList();
            foreach (var axis in axes.Where(a => !known.Contains(a.Option)))
                throw new UsageException($"--grid: '{command}' has no option {axis.Option}" + (UsageErrors.Nearest(axis.Option, own.Select(o => o.Name)) is { } near
                    ? $" (did you mean '{near}'?)" : $" (see 'seqgraph {command} --help')"));
            var exec = r.GetValue(executor) switch
            {
                "local" => SweepExecutor.Local,
                "slurm" => SweepExecutor.Slurm,
                var e => throw new UsageException($"--executor: expected local or slurm, got '{e}'"),
            };
            var config = new SweepConfig
            {
                Command = command, Args = Given(r, own), Grid = axes, Executor = exec, Jobs = r.GetValue(jobs),
                Threads = r.GetValue(threads),
                Slurm = new SlurmSettings(r.GetValue(partition), r.GetValue(time), r.GetValue(cpus), r.GetValue(mem), r.GetValue(maxRunning),
                    r.GetValue(sbatch) ?? [], Launcher(r.GetValue(launcher))),
                Runner = new CliSweepTrialRunner(),
            };
            config.Validate();
            return Execute(config, r.GetValue(output) ?? CliRunner.DefaultFolder("sweep-" + command.Replace(' ', '-')), r.GetValue(force), r.GetValue(json));
        });
        return cmd;
    }

    /// <summary>
    /// Runs a checked sweep into <paramref name="dir"/> (continued when it holds the same sweep, unless
    /// <paramref name="force"/>) with a progress line, prints its result and returns the exit code
    /// (also what <c>rnn sweep</c> runs). Messages name the folder as it was given.
    /// </summary>
    internal static int Execute(SweepConfig config, string dir, bool force, bool json)
    {
        bool same = Directory.Exists(dir) && SweepFolder.IsSweep(dir) && !force;
        var folder = CliRunner.Folder(dir, force, reuse: same);
        int total = SweepGrid.Count(config.Grid);
        using var line = new ProgressLine("sweep", total);
        var progress = Reporter.Create<SweepProgress>(p =>
        {
            string what = $"trial {p.Trial.Number} {p.Trial.Label}";
            if (p.Ended is { } e) line.Report(p.Finished, $"{what}: {e.State.ToString().ToLowerInvariant()}");
            else line.Report(p.Finished, p.Step is { } s ? $"{what} {s.Unit} {s.Done}/{s.Total}" : what);
        });
        SweepResult? result = null;
        int code = CliRunner.Run((c, f, p, t) => result = Sweep.Run(c, f, p, t), config, folder, progress, json, res => Print(res, dir), res => res.Interrupted,
            stopping: "stopping the running trials after their current step…", beforePrint: line.Dispose,
            interruptedNote: $"the trials that ended are in {dir}; the same command again runs the others");
        return code == 0 ? FailedExit(result!, dir) : code;
    }

    /// <summary>
    /// A checked local sweep as the dashboard runs it, into the folder it prepared: progress in trials
    /// finished of those to run, the outcome one line (also <c>rnn sweep</c>'s form).
    /// </summary>
    internal static LaunchPlan Plan(string label, SweepConfig config, string dir, bool force) =>
        new(label, dir, force, Directory.Exists(dir) && SweepFolder.IsSweep(dir) && !force, (folder, progress, cancel) =>
        {
            var res = Sweep.Run(config, folder, Reporter.Create<SweepProgress>(p => progress.Report(new RunProgress(p.Finished, p.Total, "trial",
                null, null, $"trial {p.Trial.Number} {p.Trial.Label}" + (p.Step is { } s ? $" {s.Unit} {s.Done}/{s.Total}" : "")))), cancel);
            var failed = res.NotDone.FirstOrDefault(n => n.State == TrialState.Failed);
            string text = $"{res.Trials} trials: {res.States}" + (failed is null ? "" : $"; trial {failed.Trial} failed: {failed.Note}");
            return new RunOutcome(res.Interrupted, text, res.Diverged?.Message);
        });

    /// <summary>The options the user gave, as words, in the command's order (a sweep's identity does not depend on how they were ordered).</summary>
    internal static List<string> Given(ParseResult r, IEnumerable<Option> options)
    {
        var args = new List<string>();
        foreach (var o in options)
        {
            if (r.GetResult(o) is not { IdentifierToken: not null } result) continue;
            args.Add(o.Name);
            args.AddRange(result.Tokens.Select(t => t.Value));
        }
        return args;
    }

    /// <summary>How a Slurm node starts seqgraph: the given words, or this program as it was started (the apphost, or dotnet and the dll).</summary>
    private static List<string> Launcher(string? given)
    {
        if (given is not null)
        {
            var words = given.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            return words.Count > 0 ? words : throw new UsageException("--launcher: empty");
        }
        string program = Environment.ProcessPath ?? "seqgraph";
        string? dll = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(program) == "dotnet" && !string.IsNullOrEmpty(dll) ? [program, dll] : [program];
    }

    /// <summary>
    /// 0 when no trial failed; else the exit code of the worst failure (1 when a trial met an internal
    /// error, else 2), with one line saying how many and what to do.
    /// </summary>
    internal static int FailedExit(SweepResult res, string dir)
    {
        var failed = res.NotDone.Where(n => n.State == TrialState.Failed).ToList();
        if (failed.Count == 0) return 0;
        Console.Error.WriteLine($"seqgraph: {failed.Count} of {res.Trials} trials failed (trial {failed[0].Trial}: {failed[0].Note}); " +
            $"fix the cause and run the same command again, or see seqgraph sweep status {dir}");
        return failed.Any(n => n.ExitCode == CliApp.InternalError) ? CliApp.InternalError : CliApp.UsageError;
    }

    /// <summary>The result as a person reads it: how the trials stand, the chart's points per series, where the results are.</summary>
    internal static void Print(SweepResult res, string dir)
    {
        if (res.Submission is { Executor: "slurm" } s)
        {
            Console.WriteLine(s.JobIds is { Count: > 0 }
                ? $"submitted {s.Trials.Count} of {res.Trials} trials to Slurm: job array {string.Join(", ", s.JobIds)} ({s.Script}), then collect job {s.CollectJobId} after it"
                : $"nothing to submit: every one of the {res.Trials} trials has finished");
            Console.WriteLine($"follow it with: seqgraph sweep status {dir}");
            return;
        }
        var metric = res.Points.Select(p => p.Metric).FirstOrDefault();
        foreach (var series in res.Points.Where(p => p.Metric == metric).GroupBy(p => p.Series))
            Console.WriteLine($"{(series.Key.Length == 0 ? metric : series.Key),-14} " + string.Join("  ", series.Select(p =>
                p.Count == 0 ? $"{X(p)}: diverged" : $"{X(p)}: {p.Mean:F3}±{p.Std:F3}{(p.Count < p.Of ? $" ({p.Of - p.Count} left out)" : "")}")));
        Console.WriteLine($"{res.Trials} trials: {res.States}");
        foreach (var n in res.NotDone.Where(n => n.State != TrialState.Diverged).Take(10))
            Console.WriteLine($"  trial {n.Trial} ({n.Values}): {n.State.ToString().ToLowerInvariant()}{(n.Note.Length > 0 ? ": " + n.Note : "")}");
        if (res.NotDone.Count(n => n.State != TrialState.Diverged) > 10) Console.WriteLine($"  … (seqgraph sweep status {dir} lists them all)");
        if (!res.Complete) Console.WriteLine("the same command again runs only the trials that have not finished");
        Console.WriteLine($"results in {Path.Combine(dir, SweepFolder.ResultsFileName)}");
    }

    private static Argument<string> DirArgument() => new("dir") { Description = "The sweep folder" };

    /// <summary><c>sweep status DIR</c>: every trial's state, read from the folders (nothing is written).</summary>
    private static Command Status()
    {
        var dir = DirArgument();
        var json = Common.Json();
        var cmd = new Command("status", "Show which trials of a sweep are done, running, failed or pending (read from its folder; nothing is written)") { dir, json };
        cmd.SetAction(r =>
        {
            string d = r.GetValue(dir)!;
            var spec = SweepFolder.ReadSpec(d);
            var states = SweepFolder.StatusAll(d, spec);
            var report = new SweepStatusReport(spec.Command, SweepGrid.Describe(spec.Grid), states.Count, SweepCounts.Of(states),
                states.Select(s => new SweepTrialNote(s.Trial.Number, s.Trial.Label, s.State, s.Note, s.Record?.ExitCode)).ToList(),
                spec.Submissions.LastOrDefault());
            if (r.GetValue(json)) { Console.WriteLine(RunJson.SerializeCompact(report)); return 0; }
            Console.WriteLine($"sweep of {report.Command} over {report.Grid}: {report.Trials} trials");
            Console.WriteLine(report.States.ToString());
            if (report.LastSubmission is { } last)
                Console.WriteLine($"last submission: {last.Number}, {last.Executor}, {last.At}, {last.Trials.Count} trials" +
                    (last.JobIds is { Count: > 0 } ids ? $", job array {string.Join(", ", ids)}, collect job {last.CollectJobId}" : ""));
            var axes = spec.Grid.Select(a => a.Name).ToList();
            var rows = states.Select(s => new[] { s.Trial.Number.ToString(CultureInfo.InvariantCulture) }
                .Concat(axes.Select(a => s.Trial.Values[a])).Append(s.State.ToString().ToLowerInvariant()).Append(s.Note).ToArray()).ToList();
            var header = new[] { "trial" }.Concat(axes).Append("state").Append("note").ToArray();
            var widths = header.Select((h, k) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[k].Length))).ToArray();
            string Row(string[] cells) => string.Join("  ", cells.Select((c, k) => k == cells.Length - 1 ? c : c.PadRight(widths[k]))).TrimEnd();
            Console.WriteLine(Row(header));
            foreach (var row in rows) Console.WriteLine(Row(row));
            return 0;
        });
        return cmd;
    }

    /// <summary><c>sweep collect DIR</c>: results.csv, charts and summary.json from the trials' folders.</summary>
    private static Command Collect()
    {
        var dir = DirArgument();
        var json = Common.Json();
        var cmd = new Command("collect", "Gather a sweep's finished trials into results.csv, charts and summary.json (missing and failed trials are named)") { dir, json };
        cmd.SetAction(r =>
        {
            string d = r.GetValue(dir)!;
            var spec = SweepFolder.ReadSpec(d);
            var folder = WaitForFolder(d);
            var res = SweepCollection.Collect(folder, spec, null, interrupted: false);
            if (r.GetValue(json)) Console.WriteLine(RunJson.SerializeCompact(res));
            else Print(res, folder.Path);
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The sweep folder for collecting: its writer may still be finishing a submission (a Slurm
    /// collect job can start as its trials end, seconds after sbatch returned), so a busy folder is
    /// waited for, up to a minute.
    /// </summary>
    private static RunFolder WaitForFolder(string dir)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return CliRunner.Folder(dir, reuse: true); }
            catch (UsageException) when (attempt < 120 && RunLock.Busy(dir) is not null) { Thread.Sleep(500); }
        }
    }

    /// <summary><c>sweep run-trial DIR N</c>: one trial, as a Slurm array task runs it (skipped when it finished or runs elsewhere).</summary>
    private static Command RunTrial()
    {
        var dir = DirArgument();
        var number = new Argument<int>("trial") { Description = "The trial's number (Slurm: the array task's index)" };
        var threads = new Option<int?>("--threads") { Description = "The engine's threads (default: SLURM_CPUS_PER_TASK, else all cores)" };
        var cmd = new Command("run-trial", "Run one trial of a sweep into its folder, unless it finished or another process runs it (what a Slurm array task runs)") { dir, number, threads };
        cmd.SetAction(r =>
        {
            string d = r.GetValue(dir)!;
            var spec = SweepFolder.ReadSpec(d);
            int n = r.GetValue(number);
            if (n < 1 || n > spec.Trials.Count) throw new UsageException($"trial: {n} is not a trial of this sweep (1..{spec.Trials.Count})");
            var trial = spec.TrialList()[n - 1];
            int t = Common.CheckThreads(r.GetValue(threads)
                ?? (int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), NumberStyles.None, CultureInfo.InvariantCulture, out int c) && c > 0 ? c : Environment.ProcessorCount));
            var before = SweepFolder.Status(d, trial);
            if (before.Finished || before.State == TrialState.Running)
            {
                Console.WriteLine($"trial {n} ({trial.Label}) is {before.State.ToString().ToLowerInvariant()}{(before.Note.Length > 0 ? ": " + before.Note : "")}; not run again");
                return 0;
            }
            using var stop = new StopSignals(() => Console.Error.WriteLine($"\nseqgraph: stopping trial {n} after its current step…"));
            TrialStatus after;
            try { after = SweepTrialRun.Run(d, spec, trial, new CliSweepTrialRunner(), t, null, stop.Token); }
            finally { stop.End(); }
            Console.WriteLine($"trial {n} ({trial.Label}): {after.State.ToString().ToLowerInvariant()}{(after.Note.Length > 0 ? ": " + after.Note : "")}");
            return after.Record?.ExitCode ?? (after.Finished ? 0 : CliApp.InternalError);
        });
        return cmd;
    }

    // "T=5" for a length (as rnn sweep has always printed it), else "hidden=64"
    private static string X(SweepPoint p) => (p.Axis == "length" ? "T" : p.Axis) + "=" + p.X.ToString(CultureInfo.InvariantCulture);
}
