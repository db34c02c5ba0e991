using System.Diagnostics;
using System.Globalization;
using System.Text;
using SeqGraph.IO;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// Hands a sweep's trials to Slurm: writes an sbatch script for a job array (one array task per
/// trial, each running <c>seqgraph sweep run-trial DIR N</c>) and one for the collect step
/// (<c>seqgraph sweep collect DIR</c>), both under the sweep's <c>slurm/</c> folder with their logs,
/// submits the array and then the collect job with <c>--dependency=afterany</c> on it, so it runs
/// however the trials end. Array indices are trial numbers (at most 1,000 per array, Slurm's default
/// <c>MaxArraySize</c>: a larger sweep is submitted as several arrays, each offset by a multiple of 1,000).
/// </summary>
public static class SlurmSubmitter
{
    /// <summary>Trials per job array (Slurm's default MaxArraySize is 1001: indices 0..1000).</summary>
    public const int ArrayChunk = 1000;

    /// <summary>Writes the scripts, submits them, and returns <paramref name="submission"/> with the job ids.</summary>
    /// <exception cref="ConfigException">sbatch is missing or refused a script (its message, one line).</exception>
    public static SweepSubmission Submit(RunFolder folder, SweepSpec spec, IReadOnlyList<SweepTrial> trials, SlurmSettings slurm, SweepSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(slurm);
        ArgumentNullException.ThrowIfNull(submission);
        if (slurm.Launcher is not { Count: > 0 }) throw new ConfigException("--executor", "--executor slurm: no command to start seqgraph on the nodes");
        // sbatch reads % in --output as a pattern (%a, %A, %j): a folder named with one would log elsewhere
        if (folder.Path.Contains('%', StringComparison.Ordinal))
            throw new ConfigException("--out", $"--out: {InputError.OneLine(folder.Path)} has a '%', which sbatch reads as a file-name pattern; choose a folder without one for --executor slurm");
        string slurmDir = Path.Combine(folder.Path, SweepFolder.SlurmFolder);
        Directory.CreateDirectory(slurmDir);
        folder.Start();
        var jobs = new List<string>();
        string? firstScript = null;
        var chunks = trials.GroupBy(t => (t.Number - 1) / ArrayChunk).OrderBy(g => g.Key).ToList();
        foreach (var chunk in chunks)
        {
            int offset = chunk.Key * ArrayChunk;
            string name = chunks.Count == 1 ? $"submit-{submission.Number}.sbatch" : $"submit-{submission.Number}-{chunk.Key + 1}.sbatch";
            string script = ArrayScript(folder.Path, spec, chunk.Select(t => t.Number).ToList(), offset, slurm, submission.Number);
            string path = Path.Combine(slurmDir, name);
            AtomicFile.WriteAllText(path, script);
            firstScript ??= Path.Combine(SweepFolder.SlurmFolder, name);
            jobs.Add(Sbatch(path, []));
        }
        string collectPath = Path.Combine(slurmDir, $"collect-{submission.Number}.sbatch");
        AtomicFile.WriteAllText(collectPath, CollectScript(folder.Path, slurm, submission.Number));
        string collect = Sbatch(collectPath, [$"--dependency=afterany:{string.Join(':', jobs)}", "--kill-on-invalid-dep=no"]);
        return submission with { JobIds = jobs, CollectJobId = collect, Script = firstScript };
    }

    /// <summary>The job array's script for <paramref name="numbers"/> (all within one chunk of <see cref="ArrayChunk"/> above <paramref name="offset"/>).</summary>
    public static string ArrayScript(string dir, SweepSpec spec, IReadOnlyList<int> numbers, int offset, SlurmSettings slurm, int submission)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slurm);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"# seqgraph sweep: {spec.Command} over {SweepGrid.Describe(spec.Grid)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"# submission {submission}: {numbers.Count} of {spec.Trials.Count} trials, one array task each\n");
        sb.Append("#SBATCH --job-name=seqgraph-sweep\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={Ranges(numbers.Select(n => n - offset))}{(slurm.MaxRunning is int m ? $"%{m}" : "")}\n");
        Common(sb, slurm, Path.Combine(dir, SweepFolder.SlurmFolder, "trial-%a-job-%A.out"));
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={slurm.CpusPerTask}\n");
        foreach (string line in slurm.Extra ?? []) sb.Append("#SBATCH ").Append(line).Append('\n');
        string trial = offset == 0 ? "\"$SLURM_ARRAY_TASK_ID\"" : $"\"$((SLURM_ARRAY_TASK_ID + {offset}))\"";
        sb.Append(CultureInfo.InvariantCulture, $"exec {Launcher(slurm)} sweep run-trial {Quote(dir)} {trial}\n");
        return sb.ToString();
    }

    /// <summary>The collect job's script.</summary>
    public static string CollectScript(string dir, SlurmSettings slurm, int submission)
    {
        ArgumentNullException.ThrowIfNull(slurm);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"# seqgraph sweep: collects the trials of submission {submission} once they have all ended, however they ended (afterany)\n");
        sb.Append("#SBATCH --job-name=seqgraph-collect\n");
        Common(sb, slurm with { Time = null }, Path.Combine(dir, SweepFolder.SlurmFolder, $"collect-{submission}-job-%j.out"));
        sb.Append("#SBATCH --cpus-per-task=1\n");
        foreach (string line in slurm.Extra ?? []) sb.Append("#SBATCH ").Append(line).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"exec {Launcher(slurm)} sweep collect {Quote(dir)}\n");
        return sb.ToString();
    }

    private static void Common(StringBuilder sb, SlurmSettings slurm, string output)
    {
        if (slurm.Partition is { } p) sb.Append("#SBATCH --partition=").Append(SbatchWord(p)).Append('\n');
        if (slurm.Time is { } t) sb.Append("#SBATCH --time=").Append(SbatchWord(t)).Append('\n');
        if (slurm.Mem is { } m) sb.Append("#SBATCH --mem=").Append(SbatchWord(m)).Append('\n');
        sb.Append("#SBATCH --output=").Append(SbatchWord(output)).Append('\n');
    }

    private static string Launcher(SlurmSettings slurm) => string.Join(' ', slurm.Launcher!.Select(Quote));

    /// <summary>
    /// A value for an <c>#SBATCH</c> line: sbatch (22.05) splits those lines at spaces and ends them at an
    /// unquoted <c>#</c>, and a backslash outside quotes does not keep a space; inside double quotes it
    /// takes <c>\"</c> and <c>\\</c>. So a value that is not plain is double-quoted with those two escaped:
    /// a sweep folder with a space, a quote or a # in its path stays one value.
    /// </summary>
    public static string SbatchWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:@%,".Contains(c))) return word;
        return "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A word for bash: single-quoted unless it is plain.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:@%".Contains(c))
            ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Sorted numbers as Slurm's array ranges: <c>1-8</c>, <c>3,5,7-9</c>.</summary>
    public static string Ranges(IEnumerable<int> numbers)
    {
        var sorted = numbers.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>Runs <c>sbatch --parsable</c> on a script; returns the job id.</summary>
    private static string Sbatch(string script, IReadOnlyList<string> options)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--parsable");
        foreach (string o in options) start.ArgumentList.Add(o);
        start.ArgumentList.Add(script);
        Process p;
        try { p = Process.Start(start) ?? throw new ConfigException("--executor", "--executor slurm: sbatch did not start"); }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ConfigException("--executor", "--executor slurm: sbatch was not found (is this a Slurm login node? is Slurm's bin folder on PATH?)");
        }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            string err = stderr.GetAwaiter().GetResult();
            if (p.ExitCode != 0)
                throw new ConfigException("--executor", $"--executor slurm: sbatch refused {script}: {InputError.OneLine(err.Trim().Length > 0 ? err.Trim() : $"exit code {p.ExitCode}")}");
            string id = stdout.Trim().Split(';')[0];
            if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new ConfigException("--executor", $"--executor slurm: sbatch printed no job id for {script} ('{InputError.OneLine(stdout.Trim())}')");
            return id;
        }
    }
}
