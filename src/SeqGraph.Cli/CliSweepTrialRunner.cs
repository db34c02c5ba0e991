using System.CommandLine;
using System.CommandLine.Parsing;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Sweeps;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Cli;

/// <summary>
/// Runs a sweep's trials as the command line itself would: a trial's words go through the same
/// command tree, error wording (<see cref="UsageErrors"/>) and checks (<see cref="ExperimentCommand.Plan"/>)
/// as typing them would, and the plan runs into the folder the sweep made. The trial's run is the
/// command's own run; its failures become the trial's outcome with the exit code the command gives them.
/// </summary>
public sealed class CliSweepTrialRunner : ISweepTrialRunner
{
    /// <summary>The commands a sweep can run (each writes one run folder).</summary>
    public static readonly IReadOnlyList<string> Swept = ["rnn train", "rnn gradients", "text train", "graph train"];

    private readonly RootCommand root = CliApp.Build();
    private readonly Lock gate = new();

    /// <inheritdoc/>
    public IReadOnlyList<string> Commands => Swept;

    /// <summary>The command's options by name (with dashes).</summary>
    public IReadOnlyList<string> Options(string command) => Find(command).Options.Select(o => o.Name).ToList();

    /// <inheritdoc/>
    public void Check(string command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        lock (gate)
        {
            try { Plan(command, args, null, null); }
            catch (UsageException e) { throw new ConfigException(OptionIn(e.Message), e.Message); }
        }
    }

    /// <inheritdoc/>
    public SweepTrialOutcome Run(string command, IReadOnlyList<string> args, RunFolder folder, int threads,
        IProgress<SweepTrialProgress>? progress, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(folder);
        LaunchPlan plan;
        try
        {
            lock (gate) plan = Plan(command, args, folder.Path, threads);
        }
        catch (UsageException e) { return new(TrialState.Failed, CliApp.UsageError, InputError.OneLine(e.Message)); }
        catch (Exception e) when (InputError.Is(e)) { return new(TrialState.Failed, CliApp.UsageError, InputError.Message(e)); }
        try
        {
            var outcome = plan.Run(folder, Reporter.Create<RunProgress>(p => progress?.Report(new SweepTrialProgress(p.Done, p.Total ?? 0, p.Unit))), cancel);
            if (outcome.Diverged is { } d) return new(TrialState.Diverged, CliRunner.Diverged, d);
            if (outcome.Interrupted) return new(TrialState.Interrupted, CliRunner.Interrupted, "interrupted: " + outcome.Result);
            return new(TrialState.Done, 0, outcome.Result);
        }
        catch (OperationCanceledException) { return new(TrialState.Interrupted, CliRunner.Interrupted, "interrupted"); }
        catch (UsageException e) { return new(TrialState.Failed, CliApp.UsageError, InputError.OneLine(e.Message)); }
        catch (Exception e) when (InputError.Is(e)) { return new(TrialState.Failed, CliApp.UsageError, InputError.Message(e)); }
        catch (Exception e)
        {
            return new(TrialState.Failed, CliApp.InternalError, $"internal error: {e.GetType().Name}: {InputError.OneLine(e.Message)}");
        }
    }

    /// <summary>Parses the trial's words and plans it; <paramref name="dir"/> (the trial's folder) becomes its --out.</summary>
    private LaunchPlan Plan(string command, IReadOnlyList<string> args, string? dir, int? threads)
    {
        var cmd = Find(command);
        var words = command.Split(' ').Concat(args).ToList();
        if (dir is not null) words.AddRange(["--out", dir]);
        if (threads is int t && cmd.Options.Any(o => o.Name == "--threads")) words.AddRange(["--threads", t.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        // no response files: a value starting with '@' is a value
        var parsed = root.Parse(words, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0) throw new UsageException(UsageErrors.Describe(parsed));
        return cmd.Plan!(parsed, "runs");
    }

    private ExperimentCommand Find(string command)
    {
        if (!Swept.Contains(command)) throw new ConfigException("--command", $"seqgraph sweep: '{command}' cannot be swept (choose {string.Join(", ", Swept)})");
        Command c = root;
        foreach (string word in command.Split(' ')) c = c.Subcommands.Single(s => s.Name == word);
        return (ExperimentCommand)c;
    }

    // the option a command-line message is about: the first "--name" it names
    private static string OptionIn(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, @"--[a-z0-9][a-z0-9-]*") is { Success: true } m ? m.Value : "--grid";
}
