namespace SeqGraph.Experiments.Bench;

/// <summary>What <c>bench rnn</c> measured: training steps per second, one figure per repetition.</summary>
public sealed record RnnBenchResult(string Variant, int Threads, double[] StepsPerSecond);
