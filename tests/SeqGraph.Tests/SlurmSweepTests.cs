using System.Text.Json;

namespace SeqGraph.Tests;

/// <summary>
/// <c>seqgraph sweep … --executor slurm</c> against a real Slurm (the one-node cluster of
/// <c>scripts/slurm/start.sh</c>): the job array and the collect job run the built CLI on the node,
/// and what they leave must equal the same sweep run here. Skipped without a cluster (the message says
/// how to start one); failed instead when SEQGRAPH_REQUIRE_SLURM=1. Its own collection: the trials
/// load both cores, so it does not run beside other test classes' timing-sensitive work.
/// </summary>
[Collection(nameof(SlurmSweepTests))]
public class SlurmSweepTests
{
    static readonly string[] Sweep =
    [
        "sweep", "rnn", "train", "--grid", "model=rnn,lstm length=4,5 seed=0,1",
        "--hidden", "8", "--steps", "30", "--batch", "16", "--test-samples", "100",
    ];

    const int WaitSeconds = 180;

    static (int Code, string Out, string Err) Cli(params string[] args) => CliTests.RunWithEnvironment(SlurmCluster.Variables(), args);

    static string Temp(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"seqgraph-slurm-test-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The job ids of the sweep's last submission: the array's and the collect job's.</summary>
    static List<string> LastJobs(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sweep.json")));
        var last = doc.RootElement.GetProperty("submissions").EnumerateArray().Last();
        var jobs = last.GetProperty("job_ids").EnumerateArray().Select(j => j.GetString()!).ToList();
        jobs.Add(last.GetProperty("collect_job_id").GetString()!);
        return jobs;
    }

    /// <summary>Releases the held jobs and waits until the array and then the collect job have ended.</summary>
    static void ReleaseAndWait(List<string> jobs)
    {
        var (code, _, err) = SlurmCluster.Client("scontrol", "release", string.Join(',', jobs));
        Assert.True(code == 0, $"scontrol release {string.Join(',', jobs)}: {err}");
        Assert.True(SlurmCluster.WaitForJobs(jobs, WaitSeconds), $"jobs {string.Join(',', jobs)} still queued after {WaitSeconds} s");
    }

    [SkippableFact]
    public void SlurmSweepEqualsLocalAndRerunsOnlyTheFailedTrial()
    {
        string? missing = SlurmCluster.Missing();
        Skip.If(missing is not null, missing);
        string root = Temp("grid");
        try
        {
            string local = Path.Combine(root, "local"), slurm = Path.Combine(root, "slurm");
            var l = Cli([.. Sweep, "--out", local, "--jobs", "2"]);
            Assert.True(l.Code == 0, l.Err);
            string expected = File.ReadAllText(Path.Combine(local, "results.csv"));
            Assert.Equal(9, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // --hold: the array waits until trial 3's folder is made impossible (a file where it goes)
            string partition = SlurmCluster.DefaultPartition();
            string[] submit = [.. Sweep, "--out", slurm, "--executor", "slurm", "--partition", partition, "--time", "00:05:00",
                "--cpus-per-task", "1", "--mem", "300M", "--sbatch=--hold", "--sbatch=--comment=seqgraph-test"];
            var s = Cli(submit);
            Assert.True(s.Code == 0, s.Err);
            Assert.Contains("submitted 8 of 8 trials to Slurm: job array ", s.Out);
            string script = File.ReadAllText(Path.Combine(slurm, "slurm", "submit-1.sbatch"));
            foreach (string line in new[] { "--array=1-8", $"--partition={partition}", "--time=00:05:00", "--cpus-per-task=1", "--mem=300M", "--hold", "--comment=seqgraph-test" })
                Assert.Contains($"\n#SBATCH {line}\n", script);
            Assert.Contains("sweep run-trial ", script);
            File.WriteAllText(Path.Combine(slurm, "trial-003"), "in the way\n");
            ReleaseAndWait(LastJobs(slurm));

            // the collect job ran on the node, after the array, and named the failed trial
            string collectLog = Directory.GetFiles(Path.Combine(slurm, "slurm"), "collect-1-job-*.out").Single();
            Assert.Contains("8 trials: 7 done · 1 failed", File.ReadAllText(collectLog));
            Assert.Contains("trial 3 (model=rnn length=5 seed=0): failed: trial-003 is a file, not a folder", File.ReadAllText(collectLog));
            var status = Cli("sweep", "status", slurm);
            Assert.True(status.Code == 0, status.Err);
            Assert.Contains("\n7 done · 1 failed\n", status.Out);
            Assert.Matches(@"\n3\s+rnn\s+5\s+0\s+failed\s+trial-003 is a file, not a folder\n", status.Out);
            var partial = File.ReadAllLines(Path.Combine(slurm, "results.csv"));
            Assert.Equal(8, partial.Length);
            Assert.DoesNotContain(partial, row => row.StartsWith("3,", StringComparison.Ordinal));

            // fixed, the same command again submits only trial 3
            File.Delete(Path.Combine(slurm, "trial-003"));
            var again = Cli(submit);
            Assert.True(again.Code == 0, again.Err);
            Assert.Contains("submitted 1 of 8 trials to Slurm", again.Out);
            Assert.Contains("\n#SBATCH --array=3\n", File.ReadAllText(Path.Combine(slurm, "slurm", "submit-2.sbatch")));
            ReleaseAndWait(LastJobs(slurm));
            Assert.Single(Directory.GetFiles(Path.Combine(slurm, "slurm"), "trial-*-job-*.out"), f => Path.GetFileName(f).StartsWith("trial-1-", StringComparison.Ordinal));
            Assert.Equal(2, Directory.GetFiles(Path.Combine(slurm, "slurm"), "trial-3-job-*.out").Length);
            Assert.Equal(expected, File.ReadAllText(Path.Combine(slurm, "results.csv")));
            var done = Cli("sweep", "status", slurm);
            Assert.Contains("\n8 done\n", done.Out);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [SkippableFact]
    public void SweepFolderWithSpaceAndQuoteRunsOnSlurm()
    {
        string? missing = SlurmCluster.Missing();
        Skip.If(missing is not null, missing);
        string root = Temp("path");
        try
        {
            // sbatch splits #SBATCH lines at spaces and takes quotes: --output must still be this folder
            string dir = Path.Combine(root, "it's a sweep #1");
            var s = Cli("sweep", "rnn", "train", "--grid", "seed=0,1", "--hidden", "8", "--steps", "20", "--batch", "16", "--test-samples", "50",
                "--out", dir, "--executor", "slurm", "--cpus-per-task", "2");
            Assert.True(s.Code == 0, s.Err);
            Assert.True(SlurmCluster.WaitForJobs(LastJobs(dir), WaitSeconds), "the jobs did not end");
            Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "slurm"), "trial-*-job-*.out").Length);
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "slurm"), "collect-1-job-*.out"));
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "results.csv")).Length);
            // SLURM_CPUS_PER_TASK reached the trial: it ran with 2 threads
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "trial-001", "config.json")));
            Assert.Contains("\"threads\":2", config.RootElement.GetRawText().Replace(" ", "", StringComparison.Ordinal));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
