namespace SeqGraph.Experiments.Bench;

/// <summary>What <c>bench text</c> measured (the SeqGraph side of bench/pytorch/char_lstm.py).</summary>
/// <param name="Hidden">LSTM units.</param>
/// <param name="Threads">Engine threads.</param>
/// <param name="Steps">Timed steps.</param>
/// <param name="TrainCharsPerSecond">Training characters (T·B per step) per second.</param>
/// <param name="Gflops">GFLOPS of the LSTM layers and head, forward and backward.</param>
/// <param name="MsPerStep">Milliseconds per step and per phase of the step.</param>
/// <param name="MsData">Zeroing gradients and drawing the batch.</param>
/// <param name="MsForward">Forward pass and loss.</param>
/// <param name="MsBackward">Backward pass.</param>
/// <param name="MsOptimizer">Clip, optimizer, schedule.</param>
/// <param name="MsHeadAndLoss">The head and loss alone (Linear [T·B, H] → V, cross-entropy, arg-max), forward and backward.</param>
/// <param name="SampleCharsPerSecond">Batch-1 sampling characters per second.</param>
/// <param name="PeakRssMb">Peak working set of the process.</param>
/// <param name="GcGen0">Garbage collections so far.</param>
/// <param name="GcGen2">Gen-2 collections so far.</param>
/// <param name="GcPauseMs">Total GC pause.</param>
public sealed record TextBenchResult(
    int Hidden = 0, int Threads = 0, int Steps = 0,
    double TrainCharsPerSecond = 0, double Gflops = 0, double MsPerStep = 0,
    double MsData = 0, double MsForward = 0, double MsBackward = 0,
    double MsOptimizer = 0, double MsHeadAndLoss = 0, double SampleCharsPerSecond = 0,
    double PeakRssMb = 0, int GcGen0 = 0, int GcGen2 = 0,
    double GcPauseMs = 0);
