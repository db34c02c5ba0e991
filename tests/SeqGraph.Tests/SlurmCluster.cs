using System.Diagnostics;

namespace SeqGraph.Tests;

/// <summary>
/// The Slurm cluster the Slurm tests submit to: the one SLURM_CONF names, else the one-node cluster
/// <c>scripts/slurm/start.sh</c> starts under the temp folder. Without one answering <c>sinfo</c> the tests
/// skip with the line that says how to start it; with <see cref="RequireVariable"/> set (.ci/run) they fail.
/// </summary>
internal static class SlurmCluster
{
    /// <summary>Set (to 1) by .ci/run with the cluster up: no cluster then fails the Slurm tests instead of skipping them.</summary>
    public const string RequireVariable = "SEQGRAPH_REQUIRE_SLURM";

    static readonly Lazy<(string? Conf, string? Missing)> Found = new(Find);

    /// <summary>The slurm.conf the client commands are pointed at (null: Slurm's own default).</summary>
    public static string? Conf => Found.Value.Conf;

    /// <summary>
    /// Why the Slurm tests cannot run here, or null when a cluster answers. Throws when
    /// <see cref="RequireVariable"/> is 1 and there is none, so CI cannot pass without the real cluster.
    /// </summary>
    public static string? Missing()
    {
        string? why = Found.Value.Missing;
        if (why is not null && Environment.GetEnvironmentVariable(RequireVariable) == "1")
            throw new InvalidOperationException($"{RequireVariable}=1 but {why}");
        return why;
    }

    /// <summary>The environment for a child process that talks to the cluster (SLURM_CONF when one was found).</summary>
    public static Dictionary<string, string> Variables() => Conf is { } c ? new() { ["SLURM_CONF"] = c } : new();

    /// <summary>Runs a Slurm client command (sinfo, squeue, scontrol) against the cluster; (exit code, stdout, stderr), -1 when it could not start or took over 20 s.</summary>
    public static (int Code, string Out, string Err) Client(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in Variables()) psi.Environment[k] = v;
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { return (-1, "", e.Message); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(20_000)) { p.Kill(); return (-1, "", $"{program} did not answer in 20 s"); }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>The default partition's name (sinfo marks it with a *).</summary>
    public static string DefaultPartition()
    {
        var (code, output, err) = Client("sinfo", "-h", "-o", "%P");
        Assert.True(code == 0, $"sinfo: {err}");
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (names.FirstOrDefault(n => n.EndsWith('*')) ?? names[0]).TrimEnd('*');
    }

    /// <summary>Waits until none of <paramref name="jobs"/> is in squeue any more (up to <paramref name="seconds"/>); false on time-out.</summary>
    public static bool WaitForJobs(IEnumerable<string> jobs, int seconds)
    {
        string list = string.Join(',', jobs);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var (code, output, _) = Client("squeue", "-h", "-o", "%i %T", "-j", list);
            // a job that ended longer ago than MinJobAge is unknown to squeue (it then exits 1)
            if (code != 0 || output.Trim().Length == 0) return true;
            Thread.Sleep(500);
        }
        return false;
    }

    static (string?, string?) Find()
    {
        string? conf = Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 } set ? set : null;
        if (conf is null)
        {
            string local = Path.Combine(Path.GetTempPath(), "seqgraph-slurm", "slurm.conf");
            if (File.Exists(local)) conf = local;
        }
        const string how = "start the one-node test cluster with `scripts/slurm/start.sh` and export the SLURM_CONF=… it prints";
        // sinfo retries a missing slurm.conf for a minute: look first
        string file = conf ?? "/etc/slurm/slurm.conf";
        if (!File.Exists(file)) return (conf, $"no Slurm cluster: {file} does not exist; {how}");
        var psi = new ProcessStartInfo("sinfo") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (conf is not null) psi.Environment["SLURM_CONF"] = conf;
        psi.ArgumentList.Add("-h");
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(20_000)) { p.Kill(); return (conf, $"no Slurm cluster answers sinfo within 20 s; {how}"); }
            return p.ExitCode == 0 ? (conf, null) : (conf, $"no Slurm cluster answers sinfo ({stderr.Result.Trim().Split('\n')[0]}); {how}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (conf, $"Slurm's client commands are not installed (apt-get install slurm-wlm); then {how}");
        }
    }
}
