using System.CommandLine;
using System.CommandLine.Parsing;

namespace SeqGraph.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line a user reads: an unknown command or
/// option names the nearest known one, a value that does not parse says what was expected in
/// words ("is not a number"), never a .NET type name.
/// </summary>
public static class UsageErrors
{
    /// <summary>The message (without the "seqgraph: error: " prefix) for a parse that failed.</summary>
    public static string Describe(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = parsed.CommandResult.Command;
        string path = CommandPath(parsed.CommandResult);
        // an option given twice (each takes one value; the library's own message names a value instead)
        foreach (var o in command.Options)
        {
            var aliases = o.Aliases.Append(o.Name).ToHashSet(StringComparer.Ordinal);
            if (parsed.Tokens.Count(t => t.Type == TokenType.Option && aliases.Contains(t.Value)) > 1)
                return $"{o.Name} is given more than once (see '{path} --help')";
        }
        if (parsed.UnmatchedTokens.Count > 0)
        {
            string token = parsed.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var names = OptionNames(parsed.CommandResult);
                string name = token.Split('=', 2)[0];
                return Nearest(name, names) is { } near
                    ? $"unknown option '{name}' for '{path}' (did you mean '{near}'?)"
                    : $"unknown option '{name}' for '{path}' (see '{path} --help')";
            }
            if (command.Subcommands.Count > 0)
            {
                var verbs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
                string prefix = path == "seqgraph" ? "" : path["seqgraph ".Length..] + " ";
                return Nearest(token, verbs) is { } near
                    ? $"unknown command '{prefix}{token}' (did you mean '{prefix}{near}'?)"
                    : $"unknown command '{prefix}{token}' (choose {string.Join(", ", verbs)})";
            }
            return $"unexpected argument '{token}' for '{path}' (see '{path} --help')";
        }
        // a value the user typed wrong first, then a missing one
        foreach (var error in parsed.Errors.OrderBy(e => e.SymbolResult?.Tokens.Count > 0 ? 0 : 1))
            if (Value(error) is { } message) return message;
        if (command.Subcommands.Count > 0 && command.Action is null)
            return $"'{path}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see '{path} --help')";
        return $"{parsed.Errors[0].Message} (see '{path} --help')";
    }

    /// <summary>A value that did not convert to its option's type, in words.</summary>
    private static string? Value(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null) return null;
        if (option.Tokens.Count == 0)
            return option.IdentifierToken is null ? $"{option.Option.Name} is required (see '{CommandPath((CommandResult)option.Parent!)} --help')"
                : option.Option.Arity.MinimumNumberOfValues > 0 ? $"{option.Option.Name} needs a value" : null;
        string text = option.Tokens[0].Value;
        Type type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        string name = option.Option.Name;
        bool integral = type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong);
        if (integral)
        {
            bool unsigned = type == typeof(uint) || type == typeof(ulong);
            string digits = text.TrimStart('-', '+');
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return $"{name}: '{text}' is not an integer";
            return unsigned && text.StartsWith('-') ? $"{name} must be ≥ 0 (got {text})" : $"{name}: {text} is too large";
        }
        if (type == typeof(float) || type == typeof(double)) return $"{name}: '{text}' is not a number";
        if (type == typeof(bool)) return $"{name}: '{text}' is not true or false";
        return null;
    }

    /// <summary>"seqgraph rnn train" for the command being parsed.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Add(c.Parent is null ? "seqgraph" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Every option name and alias valid on the command (its own and its ancestors' recursive ones).</summary>
    private static List<string> OptionNames(CommandResult result)
    {
        var names = new List<string>();
        foreach (var o in result.Command.Options.Where(o => !o.Hidden)) { names.Add(o.Name); names.AddRange(o.Aliases); }
        for (var r = result.Parent as CommandResult; r is not null; r = r.Parent as CommandResult)
            foreach (var o in r.Command.Options.Where(o => o.Recursive && !o.Hidden)) { names.Add(o.Name); names.AddRange(o.Aliases); }
        return names;
    }

    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> (edit distance with transpositions, ignoring
    /// leading dashes), or null when none is close: at most 1 edit for short words, 2 from 5 letters.
    /// A typed word that is the start of exactly one candidate also matches.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        string bare = typed.TrimStart('-');
        if (bare.Length == 0) return null;
        var list = candidates.Distinct().ToList();
        var scored = list.Select(c => (Name: c, Distance: Distance(bare, c.TrimStart('-')))).OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
        int limit = bare.Length >= 5 ? 2 : 1;
        if (scored.Count > 0 && scored[0].Distance <= limit)
            return scored[0].Name;
        var starts = list.Where(c => c.TrimStart('-').StartsWith(bare, StringComparison.Ordinal)).ToList();
        return bare.Length >= 3 && starts.Count == 1 ? starts[0] : null;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions cost 1.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
