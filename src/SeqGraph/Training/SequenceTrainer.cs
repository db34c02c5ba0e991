using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>Settings of one memorization-task training run (the CLI's defaults).</summary>
public sealed record SequenceTrainConfig
{
    public string Task { get; init; } = "palindrome";
    public int Length { get; init; } = 5;
    public CellType Cell { get; init; } = CellType.Rnn;
    public bool Bidirectional { get; init; }
    public RecurrentImpl Impl { get; init; } = RecurrentImpl.Fused;
    /// <summary>Embedding size; 0 for one-hot input.</summary>
    public int EmbedDim { get; init; }
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 1;
    public int Batch { get; init; } = 128;
    /// <summary>rmsprop, adam or sgd.</summary>
    public string Optimizer { get; init; } = "rmsprop";
    public float LearningRate { get; init; } = 1e-3f;
    public float Momentum { get; init; }
    /// <summary>Global gradient-norm clip; 0 or less turns clipping off.</summary>
    public float Clip { get; init; } = 10f;
    public InitScheme Init { get; init; } = InitScheme.Default;
    /// <summary>
    /// Forget-gate bias for LSTM cells (1 by default, as Keras's unit_forget_bias; the remedy of
    /// Gers et al. 2000 and Jozefowicz et al. 2015); null keeps PyTorch's uniform initialisation.
    /// </summary>
    public float? ForgetBias { get; init; } = 1f;
    public int Steps { get; init; } = 10_000;
    public double TargetAccuracy { get; init; } = 1.0;
    /// <summary>Steps over which the mean training accuracy must reach the target.</summary>
    public int Window { get; init; } = 20;
    public ulong Seed { get; init; }
    public int TestSamples { get; init; } = 5000;
    public int LogEvery { get; init; } = 10;
}

/// <summary>One logged training step.</summary>
public sealed record StepMetrics(int Step, double Loss, double Accuracy, double GradNorm, double Seconds);

/// <summary>The final figures of a run.</summary>
public sealed record SequenceTrainResult(int Steps, bool Converged, int? StepsToConverge, double TrainAccuracy,
    double TestAccuracy, double TestLoss, double Seconds, long Parameters);

/// <summary>
/// Trains a <see cref="SequenceClassifier"/> on a task until the mean training accuracy over the
/// last <see cref="SequenceTrainConfig.Window"/> steps reaches the target (converged; the step where
/// that window began is the step of convergence) or the step budget runs out, then measures test
/// accuracy on fresh samples from an independent stream.
/// </summary>
public static class SequenceTrainer
{
    /// <summary>The model a config describes, initialised from the config's seed.</summary>
    public static (SequenceClassifier Model, ISequenceTask Task) Build(SequenceTrainConfig c)
    {
        var task = SequenceTasks.Create(c.Task, c.Length);
        var rng = new Rng(c.Seed);
        var model = new SequenceClassifier(c.Cell, task.VocabularySize, task.NumClasses, c.Hidden, rng, c.EmbedDim, c.Layers, c.Bidirectional, 0f, c.Impl);
        model.Rnn.InitWeights(c.Init, rng);
        if (c.ForgetBias is float fb && Recurrent.HasCell(c.Cell)) model.Rnn.InitForgetBias(fb);
        return (model, task);
    }

    /// <summary>The optimizer a config names.</summary>
    public static Optimizer MakeOptimizer(SequenceTrainConfig c, IEnumerable<Tensor> parameters) => c.Optimizer switch
    {
        "adam" => new Adam(parameters, c.LearningRate),
        "rmsprop" => new RmsProp(parameters, c.LearningRate, momentum: c.Momentum),
        "sgd" => new Sgd(parameters, c.LearningRate, momentum: c.Momentum),
        _ => throw new ArgumentException($"unknown optimizer '{c.Optimizer}' (rmsprop, adam, sgd)"),
    };

    /// <summary>Runs the training; <paramref name="onLog"/> sees every logged step.</summary>
    public static SequenceTrainResult Train(SequenceTrainConfig c, Action<StepMetrics>? onLog = null, CancellationToken cancel = default)
    {
        var (model, task) = Build(c);
        var opt = MakeOptimizer(c, model.Parameters());
        var data = new Rng(c.Seed ^ 0x5EED_DA7AUL);
        int b = c.Batch, len = task.InputLength;
        var inputs = new int[b * len];
        var labels = new int[b];
        var window = new Queue<double>();
        double windowSum = 0, lastLoss = 0, lastAcc = 0;
        int? converged = null;
        int step = 0;
        var clock = Stopwatch.StartNew();
        while (step < c.Steps && converged is null && !cancel.IsCancellationRequested)
        {
            step++;
            task.Sample(data, b, inputs, labels);
            var (loss, acc, norm) = TrainStep(model, opt, inputs, labels, b, len, c.Clip);
            (lastLoss, lastAcc) = (loss, acc);
            window.Enqueue(acc);
            windowSum += acc;
            if (window.Count > c.Window) windowSum -= window.Dequeue();
            if (window.Count == c.Window && windowSum / c.Window >= c.TargetAccuracy - 1e-12) converged = step - c.Window + 1;
            if (onLog is not null && (step % c.LogEvery == 0 || step == 1 || converged is not null || step == c.Steps))
                onLog(new StepMetrics(step, loss, acc, norm, clock.Elapsed.TotalSeconds));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (testAcc, testLoss) = Evaluate(model, task, new Rng(c.Seed ^ 0x7E57_5A3BUL), c.TestSamples);
        return new SequenceTrainResult(step, converged is not null, converged, window.Count == 0 ? lastAcc : windowSum / window.Count,
            testAcc, testLoss, seconds, model.ParameterCount);
    }

    /// <summary>One optimisation step; returns loss, batch accuracy and the pre-clip gradient norm.</summary>
    public static (double Loss, double Accuracy, double GradNorm) TrainStep(SequenceClassifier model, Optimizer opt,
        int[] inputs, int[] labels, int batch, int length, float clip)
    {
        model.Train();
        opt.ZeroGrad();
        var logits = model.Forward(inputs, batch, length);
        var loss = Ops.CrossEntropy(logits, labels);
        loss.Backward();
        // With clipping off, an infinite threshold still returns the global norm and scales nothing.
        double norm = ClipGrad.ClipGradNorm(opt.Parameters, clip > 0 ? clip : float.PositiveInfinity);
        opt.Step();
        return (loss.Item(), Accuracy(logits, labels), norm);
    }

    /// <summary>Accuracy and mean loss on <paramref name="samples"/> fresh examples.</summary>
    public static (double Accuracy, double Loss) Evaluate(SequenceClassifier model, ISequenceTask task, Rng rng, int samples)
    {
        if (samples <= 0) return (double.NaN, double.NaN);
        model.Eval();
        using var _ = Tape.NoGrad();
        int chunk = Math.Min(1000, samples), len = task.InputLength;
        var inputs = new int[chunk * len];
        var labels = new int[chunk];
        double correct = 0, lossSum = 0;
        for (int done = 0; done < samples; done += chunk)
        {
            int n = Math.Min(chunk, samples - done);
            task.Sample(rng, n, inputs.AsSpan(0, n * len), labels.AsSpan(0, n));
            var logits = model.Forward(inputs.AsSpan(0, n * len), n, len);
            var lab = labels.AsSpan(0, n);
            lossSum += Ops.CrossEntropy(logits, lab).Item() * n;
            correct += Accuracy(logits, lab) * n;
        }
        model.Train();
        return (correct / samples, lossSum / samples);
    }

    /// <summary>Fraction of rows whose arg-max equals the label.</summary>
    public static double Accuracy(Tensor logits, ReadOnlySpan<int> labels)
    {
        var pred = Ops.Argmax(logits, -1);
        int hit = 0;
        for (int i = 0; i < labels.Length; i++) if (pred[i] == labels[i]) hit++;
        return labels.Length == 0 ? 0 : (double)hit / labels.Length;
    }
}
