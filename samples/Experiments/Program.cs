// Usage: Experiments DATA_DIR OUT_DIR   (DATA_DIR holds graphs/cora, graphs/example6 and books/)
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Experiments DATA_DIR OUT_DIR");
    return 2;
}
string data = args[0], output = args[1];
var (y, gradW, ok) = ExperimentsSample.Basics.Run();
Console.WriteLine($"y = {y:F4}, ∂y/∂w[0] = {gradW[0]:F4}, gradient check {(ok ? "passed" : "FAILED")}");
var train = ExperimentsSample.Runs.Train(Path.Combine(output, "rnn"), TextWriter.Null);
Console.WriteLine($"rnn train: converged {train.Converged}, test accuracy {train.TestAccuracy:F4}");
ExperimentsSample.Runs.Sweep();
ExperimentsSample.Runs.Gradients();
ExperimentsSample.Runs.Graph(Path.Combine(data, "graphs", "cora"), Path.Combine(data, "graphs", "example6", "example6.cites"), CancellationToken.None);
string corpus = Path.Combine(output, "corpus.txt");
File.WriteAllText(corpus, string.Concat(File.ReadLines(Path.Combine(data, "books", "grimms_fairy_tales.txt")).Take(300).Select(l => l + "\n")));
ExperimentsSample.Runs.Text(corpus, Path.Combine(output, "text"));
return ok && train.TestAccuracy > 0.9 ? 0 : 1;
