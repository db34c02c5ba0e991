// Usage: SampleText CHECKPOINT_DIR [PROMPT] [LENGTH]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SampleText CHECKPOINT_DIR [PROMPT] [LENGTH]  (a folder written by `seqgraph text train`)");
    return 2;
}
string prompt = args.Length > 1 ? args[1] : "The ";
int length = args.Length > 2 && int.TryParse(args[2], out int n) ? n : 200;
Console.WriteLine(SampleText.TextSample.Continue(args[0], prompt, length));
Console.WriteLine("----");
foreach (var s in SampleText.TextSample.Sample(args[0], prompt, length, temperature: 0.8f, count: 2)) Console.WriteLine(s + "\n----");
return 0;
