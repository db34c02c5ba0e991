namespace SeqGraph.Experiments.Bench;

/// <summary>One GEMM measurement: C = op(A)·op(B) with C [M, N] and inner size K.</summary>
public sealed record GemmBenchRow(int M, int K, int N, string Layout, int Threads, double Gflops);
