using System.CommandLine;
using System.Text;
using SeqGraph.Cli;
using SeqGraph.Cli.Commands;

return CliApp.Run(args);

namespace SeqGraph.Cli
{
    /// <summary>The <c>seqgraph</c> command: builds the command tree and maps failures to exit codes.</summary>
    public static class CliApp
    {
        /// <summary>Exit code for bad usage or bad input.</summary>
        public const int UsageError = 2;

        /// <summary>Exit code for an internal error.</summary>
        public const int InternalError = 1;

        /// <summary>Builds the root command with every noun and verb.</summary>
        public static RootCommand Build()
        {
            var root = new RootCommand("SeqGraph: recurrent and graph neural networks, trained and explained on the CPU.");
            root.Options.Add(Common.Verbose);


            root.Subcommands.Add(RnnCommand.Create());
            root.Subcommands.Add(BenchCommand.Create());
            root.Subcommands.Add(GraphCommand.Create());
            root.Subcommands.Add(TextCommand.Create());
            root.Subcommands.Add(ExportCommand.Create());
            root.Subcommands.Add(ImportCommand.Create());
            root.Subcommands.Add(ServeCommand.Create());
            root.Subcommands.Add(SweepCommand.Create());
            return root;
        }

        /// <summary>Parses and runs; returns the process exit code.</summary>
        public static int Run(string[] args)
        {
            // Readable UTF-8 ("∂", "·", "é") on every platform, whatever the console's code page.
            if (Console.OutputEncoding.CodePage != 65001) Console.OutputEncoding = new UTF8Encoding(false);
            var root = Build();
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                Console.Error.WriteLine($"seqgraph: error: {UsageErrors.Describe(parsed)}");
                return UsageError;
            }
            bool verbose = args.Contains("--verbose");
            try
            {
                return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("seqgraph: interrupted");
                return CliRunner.Interrupted;
            }
            catch (UsageException e)
            {
                CliRunner.RemoveEmptyCreatedFolders();
                Console.Error.WriteLine($"seqgraph: error: {SeqGraph.Experiments.InputError.OneLine(e.Message)}");
                if (verbose) Console.Error.WriteLine(e);
                return UsageError;
            }
            catch (Exception e) when (SeqGraph.Experiments.InputError.Is(e))
            {
                // Bad input that the library rejected: one line, without .NET's "(Parameter 'x')" suffix.
                CliRunner.RemoveEmptyCreatedFolders();
                Console.Error.WriteLine($"seqgraph: error: {SeqGraph.Experiments.InputError.Message(e)}");
                if (verbose) Console.Error.WriteLine(e);
                return UsageError;
            }
            catch (Exception e)
            {
                CliRunner.RemoveEmptyCreatedFolders();
                Console.Error.WriteLine($"seqgraph: internal error: {e.GetType().Name}: {SeqGraph.Experiments.InputError.OneLine(e.Message)}");
                if (verbose) Console.Error.WriteLine(e);
                else Console.Error.WriteLine("(run again with --verbose for details)");
                return InternalError;
            }
            finally
            {
                CliRunner.ForgetCreatedFolders();
            }
        }
    }

    /// <summary>Bad usage or bad input, reported as one line with exit code 2.</summary>
    public sealed class UsageException(string message) : Exception(message);
}
