using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace SeqGraph.Tests;

/// <summary><c>seqgraph serve</c> as a user starts it: the address it prints answers, a signal stops it cleanly, bad options get one error line.</summary>
public class ServeCliTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task ServePrintsItsAddressAnswersThereAndStopsOnASignal(string signal)
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("rnn", "train", "--length", "5", "--steps", "10", "--hidden", "8", "--test-samples", "100", "--out", dir.File("runs/one"));
        Assert.True(code == 0, err);
        using var p = CliTests.Start("serve", "--runs", dir.File("runs"));
        var stderr = p.StandardError.ReadToEndAsync();
        string line = (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        var m = Regex.Match(line, @"^dashboard on (http://127\.0\.0\.1:(\d+)/) \(runs from (.+); Ctrl-C stops\)$");
        Assert.True(m.Success, line);
        Assert.Equal(dir.File("runs"), m.Groups[3].Value);
        using (var http = new HttpClient())
        {
            string list = await http.GetStringAsync(new Uri(new Uri(m.Groups[1].Value), "api/runs"));
            Assert.Contains("\"id\":\"one\"", list);
            Assert.Contains("\"kind\":\"rnn train\"", list);
        }
        using (var kill = Process.Start("kill", $"-{signal} {p.Id}")!) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "serve did not stop after the signal");
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("stopping the dashboard", await stderr);
        Assert.DoesNotContain("Exception", await stderr);
        // the port is free again
        using var again = new System.Net.Sockets.TcpListener(IPAddress.Loopback, int.Parse(m.Groups[2].Value));
        again.Start();
    }

    [Fact]
    public async Task BeyondLoopbackServeSaysRunsCannotBeStartedFromOtherMachines()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("runs"));
        using var p = CliTests.Start("serve", "--runs", dir.File("runs"), "--urls", "http://0.0.0.0:0");
        var stderr = p.StandardError.ReadToEndAsync();
        string first = (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        var m = Regex.Match(first, @"^dashboard on http://0\.0\.0\.0:(\d+)/ ");
        Assert.True(m.Success, first);
        string second = (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
        Assert.Equal("runs cannot be started from the page: it listens beyond this machine (--urls); pass --allow-runs-from-network to allow it", second);
        using (var http = new HttpClient())
        {
            string forms = await http.GetStringAsync(new Uri($"http://127.0.0.1:{m.Groups[1].Value}/api/forms"));
            Assert.Contains("\"available\":false", forms);
        }
        using (var kill = Process.Start("kill", $"-TERM {p.Id}")!) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "serve did not stop after SIGTERM");
        Assert.Equal(0, p.ExitCode);
        Assert.DoesNotContain("Exception", await stderr);
    }

    [Fact]
    public async Task TheFirstStartOnAFreshMachineMakesTheDefaultRunsFolderAndServesIt()
    {
        using var dir = new TempDir();
        using var p = CliTests.StartIn(dir.Path, "serve");
        var stderr = p.StandardError.ReadToEndAsync();
        string line = (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        var m = Regex.Match(line, @"^dashboard on (http://127\.0\.0\.1:\d+/) \(runs from runs; Ctrl-C stops\)$");
        Assert.True(m.Success, line);
        Assert.True(Directory.Exists(dir.File("runs")));
        using (var http = new HttpClient())
            Assert.Equal("[]", await http.GetStringAsync(new Uri(new Uri(m.Groups[1].Value), "api/runs")));
        using (var kill = Process.Start("kill", $"-TERM {p.Id}")!) kill.WaitForExit();
        Assert.True(p.WaitForExit(30_000), "serve did not stop after SIGTERM");
        Assert.Equal(0, p.ExitCode);
        Assert.DoesNotContain("Exception", await stderr);
    }

    [Fact]
    public async Task StoppingServeSaysWhatBecomesOfItsRunsAndTheRunningOneEndsInterrupted()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("runs"));
        using var p = CliTests.Start("serve", "--runs", dir.File("runs"));
        var stderr = p.StandardError.ReadToEndAsync();
        string line = (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
        var address = new Uri(Regex.Match(line, @"^dashboard on (\S+) ").Groups[1].Value);
        using var http = new HttpClient();
        async Task<HttpResponseMessage> Post(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "api/queue"))
            { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Origin", address.GetLeftPart(UriPartial.Authority));
            return await http.SendAsync(request);
        }
        // T=60: a vanilla RNN stays at chance there, so the run cannot converge and end by itself
        // before the SIGTERM lands (at the default T=5 it converges in ~1 s: a race on a slow machine)
        string run = "{\"experiment\": \"rnn train\", \"values\": {\"--hidden\": \"8\", \"--length\": \"60\", \"--steps\": \"1000000\", \"--out\": \"NAME\"}}";
        Assert.Equal(HttpStatusCode.Accepted, (await Post(run.Replace("NAME", "long", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post(run.Replace("NAME", "waiting", StringComparison.Ordinal))).StatusCode);
        CliTests.WaitForLines(dir.File("runs/long/metrics.csv"), 3);
        using (var kill = Process.Start("kill", $"-TERM {p.Id}")!) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000), "serve did not stop after SIGTERM");
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("seqgraph: stopping the dashboard… (run 1 stops after its current step and writes what it has, interrupted; queued run 2 will not start)", await stderr);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("runs/long/summary.json")))!;
        Assert.True((bool)summary["interrupted"]!);
        Assert.False(Directory.Exists(dir.File("runs/waiting")));
    }

    [Fact]
    public void AMissingRunsFolderIsOneErrorLine()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("serve", "--runs", dir.File("nope"));
        CliTests.AssertOneErrorLine(code, err, "--runs: ");
        Assert.Contains("nope", err);
    }

    [Fact]
    public void BadPortsAreOneErrorLine()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("serve", "--runs", dir.Path, "--port", "70000");
        CliTests.AssertOneErrorLine(code, err, "--port: ");
        (code, _, err) = CliTests.Run("serve", "--runs", dir.Path, "--port", "8000", "--urls", "http://127.0.0.1:0");
        CliTests.AssertOneErrorLine(code, err, "--port: ");
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        (code, _, err) = CliTests.Run("serve", "--runs", dir.Path, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CliTests.AssertOneErrorLine(code, err, "--port: ");
        (code, _, err) = CliTests.Run("serve", "--runs", dir.Path, "--urls", "not a url");
        CliTests.AssertOneErrorLine(code, err, "--urls: ");
    }
}
