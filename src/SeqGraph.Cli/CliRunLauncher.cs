using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using SeqGraph.Web;

namespace SeqGraph.Cli;

/// <summary>
/// The dashboard's <see cref="IRunLauncher"/>, made from the command line's own commands: each
/// train command's options become its form (names, descriptions and defaults as <c>--help</c>
/// shows them), and a filled form is parsed as the words of that command line, through the same
/// command tree, error wording (<see cref="UsageErrors"/>) and config checks as the command's
/// action (<see cref="ExperimentCommand.Plan"/>). A run's folder must be inside the dashboard's
/// runs folder, through real folders only (<see cref="RunPaths.NotAFolderBelow"/>: no links); a
/// relative <c>--out</c> is taken inside the runs folder; by default a run gets a fresh name there.
/// </summary>
public sealed partial class CliRunLauncher : IRunLauncher
{
    /// <summary>The experiments the page can start, as command words.</summary>
    public static readonly IReadOnlyList<string> Experiments = ["rnn train", "rnn sweep", "rnn gradients", "text train", "graph train"];

    // Options that make no sense on a page: the summary is shown there, not printed.
    private static readonly HashSet<string> Left = ["--json"];
    private readonly RootCommand root = CliApp.Build();
    private readonly Dictionary<string, (ExperimentCommand Command, RunForm Form)> commands = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Builds the forms from the command tree of <see cref="CliApp.Build"/>.</summary>
    public CliRunLauncher()
    {
        foreach (string experiment in Experiments)
        {
            Command command = root;
            foreach (string word in experiment.Split(' ')) command = command.Subcommands.Single(c => c.Name == word);
            var cmd = (ExperimentCommand)command;
            var fields = cmd.Options.Where(o => !o.Hidden && !Left.Contains(o.Name)).Select(Field).ToList();
            commands[experiment] = (cmd, new RunForm(experiment, cmd.Description ?? "", fields));
        }
        Forms = Experiments.Select(e => commands[e].Form).ToList();
    }

    /// <inheritdoc/>
    public IReadOnlyList<RunForm> Forms { get; }

    /// <inheritdoc/>
    public PreparedRun Prepare(string experiment, IReadOnlyDictionary<string, string> values, string runsRoot)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!commands.TryGetValue(experiment, out var entry))
            throw new RunFormException(null, $"unknown experiment '{experiment}' (choose {string.Join(", ", Experiments)})");
        var (command, form) = entry;
        var args = experiment.Split(' ').ToList();
        foreach (var (name, value) in values)
        {
            var field = form.Fields.FirstOrDefault(f => f.Name == name);
            if (field is null)
            {
                string path = $"seqgraph {experiment}";
                throw new RunFormException(null, UsageErrors.Nearest(name, form.Fields.Select(f => f.Name)) is { } near
                    ? $"unknown option '{name}' for '{path}' (did you mean '{near}'?)"
                    : $"unknown option '{name}' for '{path}' (see '{path} --help')");
            }
            if (field.Kind == "flag")
            {
                if (value is "true" or "on") args.Add(name);
                else if (value is not ("false" or "")) throw new RunFormException(name, $"{name}: '{value}' is not true or false");
            }
            // a page's user thinks in the runs folder: a relative --out is a folder inside it
            else if (name == "--out" && value.Length > 0 && !Path.IsPathRooted(value)) args.AddRange([name, Path.Combine(Path.GetFullPath(runsRoot), value)]);
            else if (value.Length > 0) args.AddRange([name, value]);
        }
        string root = Path.GetFullPath(runsRoot);
        lock (gate)
        {
            // no response files: a value starting with '@' is a value, never a file to read
            var parsed = this.root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parsed.Errors.Count > 0) throw Refused(form, UsageErrors.Describe(parsed));
            LaunchPlan plan;
            try { plan = command.Plan!(parsed, root); }
            catch (UsageException e) { throw Refused(form, e.Message); }
            catch (Exception e) when (SeqGraph.Experiments.InputError.Is(e))
            {
                throw Refused(form, SeqGraph.Experiments.InputError.Message(e));
            }
            string dir = Path.GetFullPath(plan.Dir);
            if (!dir.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new RunFormException("--out", $"--out: {plan.Dir} is not inside the runs folder the dashboard shows; give a folder inside it, or leave --out empty for a fresh one");
            bool outGiven = values.TryGetValue("--out", out var o) && o.Length > 0;
            // a default folder is fresh even while an earlier queued run's folder is still empty
            for (int k = 2; !outGiven && Directory.Exists(dir); k++) dir = Path.GetFullPath(plan.Dir) + "-" + k.ToString(CultureInfo.InvariantCulture);
            // a link inside the runs folder would lead the run's files out of it
            if (RunPaths.NotAFolderBelow(root, dir) is { } bad)
                throw new RunFormException("--out", $"--out: {Path.GetRelativePath(root, bad)} in the runs folder is a link or a file, not a folder; give a folder inside the runs folder, or leave --out empty for a fresh one");
            SeqGraph.IO.RunFolder folder;
            try { folder = CliRunner.Folder(dir, plan.Force, plan.Reuse); }
            catch (UsageException e) { throw Refused(form, e.Message); }
            return new PreparedRun(plan.Label, Path.GetFullPath(folder.Path), (progress, cancel) => plan.Run(folder, progress, cancel));
        }
    }

    /// <summary>The form error for a command-line message: the option it is about is the first of the form's options it names.</summary>
    private static RunFormException Refused(RunForm form, string message)
    {
        string? option = OptionName().Matches(message).Select(m => m.Value).FirstOrDefault(n => form.Fields.Any(f => f.Name == n));
        return new RunFormException(option, message);
    }

    private const string OutHelp = "Run folder inside the runs folder (a relative one is taken there; default: a fresh one there";

    private static RunFormField Field(Option o)
    {
        Type type = Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType;
        string kind = type == typeof(bool) ? "flag"
            : type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(uint) || type == typeof(short) ? "integer"
            : type == typeof(float) || type == typeof(double) ? "number" : "text";
        string? value = o.HasDefaultValue ? o.GetDefaultValue() switch
        {
            null => null,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var x => x.ToString(),
        } : null;
        // on the page a folder is named inside the runs folder the dashboard shows
        string description = o.Name == "--out"
            ? OutHelp + (o.Description?.Contains("--resume", StringComparison.Ordinal) == true ? "; with --resume: the resumed folder)" : ")")
            : o.Description ?? "";
        // an option whose absence means a value says so in its help: "… [default: utf-8]"
        if (value is null && DefaultInHelp().Match(description) is { Success: true } said) value = said.Groups[1].Value;
        IReadOnlyList<string>? choices = kind == "text" && Choices().Match(description) is { Success: true } m
            ? description.Split(m.Groups[2].Value.Contains('|') ? '|' : ' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(w => w != "or").ToList()
            : null;
        return new RunFormField(o.Name, description, kind, value, choices, o.Required);
    }

    [GeneratedRegex(@"\[default: ([^\]]+)\]$")]
    private static partial Regex DefaultInHelp();

    [GeneratedRegex(@"--[a-z0-9][a-z0-9-]*")]
    private static partial Regex OptionName();

    // "rnn | lstm | gru" or "gcn or gat": a fixed list of plain names
    [GeneratedRegex(@"^[a-z0-9-]+(( \| [a-z0-9-]+)+| or [a-z0-9-]+)$")]
    private static partial Regex Choices();
}
