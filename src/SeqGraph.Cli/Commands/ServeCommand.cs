using System.CommandLine;
using SeqGraph.Web;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// <c>seqgraph serve</c>: the dashboard over a runs folder (<see cref="DashboardServer"/>), on
/// 127.0.0.1 unless <c>--urls</c> says otherwise, until Ctrl-C or SIGTERM. Runs started from the
/// page go through <see cref="CliRunLauncher"/>, checked as on the command line, and only when it
/// listens on loopback only or <c>--allow-runs-from-network</c> is given; a stop cancels the
/// running one and waits for it to write its files. Stopping the server is
/// how it ends, not an interruption of work, so a clean stop exits 0.
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "Folder of run folders to show (the default, runs/, is made when missing)", DefaultValueFactory = _ => "runs" };
        var port = new Option<int?>("--port") { Description = "Port on 127.0.0.1 (default: a free one)" };
        var urls = new Option<string?>("--urls") { Description = "Address(es) to listen on instead, e.g. http://0.0.0.0:8080 (reachable from other machines: the runs are then visible to them, but runs cannot be started from the page without --allow-runs-from-network)" };
        var network = new Option<bool>("--allow-runs-from-network") { Description = "With --urls beyond 127.0.0.1: let anyone who can reach the dashboard start runs (a run reads any file this user can); off, only the runs are shown to them" };
        var cmd = new Command("serve", "Show the runs in a browser: a local dashboard with each run's settings, status, figures and plots")
            { runs, port, urls, network };
        cmd.SetAction(r =>
        {
            int? p = r.GetValue(port);
            string? u = r.GetValue(urls);
            if (p is not null && u is not null) throw new UsageException("--port: give either --port or --urls, not both");
            if (p is < 0 or > 65535) throw new UsageException($"--port: {p} is not a port number (0-65535)");
            string dir = r.GetValue(runs)!;
            // The first start on a fresh machine is one command: the default folder is made when missing
            // (the commands write their runs there); a folder the user named must exist, so a typo is not
            // served as an empty dashboard.
            if (r.GetResult(runs) is null or { Implicit: true } && !Directory.Exists(dir)) Directory.CreateDirectory(dir);
            if (!Directory.Exists(dir)) throw new UsageException($"--runs: {dir} is not a folder; give the folder your runs are written to (the commands' default is runs/)");
            var options = new DashboardOptions { Runs = dir, Urls = u ?? $"http://127.0.0.1:{p ?? 0}", Launcher = new CliRunLauncher(), AllowRunsFromNetwork = r.GetValue(network) };
            return Serve(options, dir);
        });
        return cmd;
    }

    /// <summary>What stopping does to the runs started from the page, said before it happens: " (run 1 stops …; runs 2, 3 …)".</summary>
    private static string Pending(RunQueue? queue)
    {
        if (queue is null) return "";
        var items = queue.List().Select(i => ((int)i!["id"]!, (string)i["state"]!)).ToList();
        var running = items.Where(i => i.Item2 == RunQueue.Running).Select(i => i.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var queued = items.Where(i => i.Item2 == RunQueue.Queued).Select(i => i.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var parts = new List<string>();
        if (running.Count > 0) parts.Add($"run {string.Join(", ", running)} stops after its current step and writes what it has, interrupted");
        if (queued.Count > 0) parts.Add($"queued run{(queued.Count > 1 ? "s" : "")} {string.Join(", ", queued)} will not start");
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }

    private static int Serve(DashboardOptions options, string dir)
    {
        using var stop = new StopSignals();
        try
        {
            DashboardServer server;
            try { server = DashboardServer.Start(options); }
            catch (IOException e) when (e is not DirectoryNotFoundException)
            {
                throw new UsageException(options.Urls.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && e.Message.StartsWith("--urls:", StringComparison.Ordinal)
                    ? "--port" + e.Message["--urls".Length..] : e.Message);
            }
            Console.WriteLine($"dashboard on {server.Address} (runs from {dir}; Ctrl-C stops)");
            if (server.Queue is null)
                Console.WriteLine("runs cannot be started from the page: it listens beyond this machine (--urls); pass --allow-runs-from-network to allow it");
            stop.Token.WaitHandle.WaitOne();
            Console.Error.WriteLine("seqgraph: stopping the dashboard…" + Pending(server.Queue));
            server.StopAsync().GetAwaiter().GetResult();
            return 0;
        }
        finally
        {
            stop.End();
        }
    }
}
