using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Experiments.Sweeps;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// <c>seqgraph rnn sweep</c>: shorthand for <c>seqgraph sweep rnn train --grid "model=… length=… seed=…"</c>
/// (axes in that order, so the trials run in the order rnn sweep always ran them) with the other
/// options as every trial's own: the same sweep folder (sweep.json, trial-NNN/, results.csv, charts,
/// summary.json), the same printed lines, and run again it continues the sweep.
/// </summary>
internal static class RnnSweepCommand
{
    public static Command Create()
    {
        var o = new RnnOptions();
        var models = new Option<string>("--models") { Description = "Comma-separated models", DefaultValueFactory = _ => "rnn,lstm" };
        var lengths = new Option<string>("--lengths") { Description = "Lengths: 5:40:5 (start:stop:step), 5..8, or 5,10,20", DefaultValueFactory = _ => "5:40:5" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: 0,1,2 or 0..2", DefaultValueFactory = _ => "0,1,2" };
        var output = RnnCommand.OutOption("the sweep: sweep.json, one run folder per trial, results.csv, plots, summary.json; the same sweep again runs only its unfinished trials");
        var force = CliRunner.ForceOption();
        var jobs = new Option<int>("--jobs") { Description = "Trials at a time, the cores split between them", DefaultValueFactory = _ => 1 };
        var cmd = new ExperimentCommand("sweep", "Train every model × length × seed and plot accuracy versus length (seqgraph sweep rnn train over model, length and seed)") { models, lengths, seeds, output, force, jobs };
        o.AddTo(cmd);
        // every rnn train option the user gave goes to each trial as typed; these the sweep handles itself
        var fixedOptions = cmd.Options.Where(x => x != models && x != lengths && x != seeds && x != output && x != force && x != jobs && x != o.Json && x != o.Threads).ToList();
        (SweepConfig, string) Build(ParseResult r, string root)
        {
            var seedList = Parse.IntList("--seeds", r.GetValue(seeds)!);
            if (seedList.Any(s => s < 0)) throw new UsageException("--seeds must be ≥ 0");
            var modelList = Parse.Names("--models", r.GetValue(models)!, Parse.ModelNames).Select(Parse.Model).ToArray();
            var lengthList = Parse.IntList("--lengths", r.GetValue(lengths)!);
            var train = o.Read(r);
            o.CheckForgetBias(r, modelList);
            // the old config's checks (distinct lengths, ≥ 2, …) keep their wording
            new RnnSweepConfig { Models = modelList, Lengths = lengthList, Seeds = seedList.Select(s => (ulong)s).ToArray(), Train = train }.Validate();
            var grid = new List<SweepAxis>
            {
                new("model", modelList.Select(m => m.Name()).ToList()),
                new("length", lengthList.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToList()),
                new("seed", seedList.Select(s => s.ToString(CultureInfo.InvariantCulture)).ToList()),
            };
            var config = new SweepConfig
            {
                Command = "rnn train", Args = SweepCommand.Given(r, fixedOptions), Grid = grid, Jobs = r.GetValue(jobs),
                Threads = r.GetValue(o.Threads), Runner = new CliSweepTrialRunner(),
            };
            config.Validate();
            return (config, r.GetValue(output) ?? CliRunner.DefaultFolder($"sweep-{train.Task}", root));
        }
        cmd.Plan = (r, root) =>
        {
            var (config, dir) = Build(r, root);
            return SweepCommand.Plan($"sweep {r.GetValue(o.Task)}", config, dir, r.GetValue(force));
        };
        cmd.SetAction(r =>
        {
            var (config, dir) = Build(r, "runs");
            return SweepCommand.Execute(config, dir, r.GetValue(force), r.GetValue(o.Json));
        });
        return cmd;
    }
}
