using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Bench;

/// <summary>What <c>bench text</c> measured (the SeqGraph side of bench/pytorch/char_lstm.py).</summary>
public sealed record TextBenchResult
{
    /// <summary>LSTM units.</summary>
    public int Hidden { get; init; }
    /// <summary>Engine threads.</summary>
    public int Threads { get; init; }
    /// <summary>Timed steps.</summary>
    public int Steps { get; init; }
    /// <summary>Training characters (T·B per step) per second.</summary>
    public double TrainCharsPerSecond { get; init; }
    /// <summary>GFLOPS of the LSTM layers and head, forward and backward.</summary>
    public double Gflops { get; init; }
    /// <summary>Milliseconds per step and per phase of the step.</summary>
    public double MsPerStep { get; init; }
    /// <summary>Zeroing gradients and drawing the batch.</summary>
    public double MsData { get; init; }
    /// <summary>Forward pass and loss.</summary>
    public double MsForward { get; init; }
    /// <summary>Backward pass.</summary>
    public double MsBackward { get; init; }
    /// <summary>Clip, optimizer, schedule.</summary>
    public double MsOptimizer { get; init; }
    /// <summary>The head and loss alone (Linear [T·B, H] → V, cross-entropy, arg-max), forward and backward.</summary>
    public double MsHeadAndLoss { get; init; }
    /// <summary>Batch-1 sampling characters per second.</summary>
    public double SampleCharsPerSecond { get; init; }
    /// <summary>Peak working set of the process.</summary>
    public double PeakRssMb { get; init; }
    /// <summary>Garbage collections so far.</summary>
    public int GcGen0 { get; init; }
    /// <summary>Gen-2 collections so far.</summary>
    public int GcGen2 { get; init; }
    /// <summary>Total GC pause.</summary>
    public double GcPauseMs { get; init; }
}
