using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Graph;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>Settings of a node-classification run; <see cref="For"/> gives each model's published defaults.</summary>
public sealed record NodeTrainingOptions
{
    /// <summary>"gcn" or "gat".</summary>
    public required string Model { get; init; }

    /// <summary>Maximum number of epochs (full-batch steps).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Hidden units (per head for GAT).</summary>
    public int Hidden { get; init; } = 16;

    /// <summary>Attention heads of GAT's first layer.</summary>
    public int Heads { get; init; } = 8;

    /// <summary>Attention heads of GAT's output layer (averaged).</summary>
    public int OutputHeads { get; init; } = 1;

    /// <summary>Dropout on inputs and hidden layer (and attention for GAT).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>L2 weight decay (first layer for GCN, every parameter for GAT).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Stop after this many epochs without a new best validation accuracy or loss; 0 = never.</summary>
    public int Patience { get; init; }

    /// <summary>
    /// The defaults of the papers: GCN 16 hidden, dropout 0.5, lr 0.01, wd 5e-4 (first layer),
    /// 200 epochs; GAT 8 heads × 8 hidden, dropout 0.6, lr 0.005, wd 5e-4, patience 100 within
    /// at most 1,000 epochs.
    /// </summary>
    public static NodeTrainingOptions For(string model) => model switch
    {
        "gcn" => new NodeTrainingOptions { Model = "gcn" },
        "gat" => new NodeTrainingOptions { Model = "gat", Epochs = 1000, Hidden = 8, Heads = 8, Dropout = 0.6f, LearningRate = 0.005f, Patience = 100 },
        _ => throw new ArgumentException($"unknown model '{model}' (expected gcn or gat)", nameof(model)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> for out-of-range settings.</summary>
    public void Validate()
    {
        if (Model is not ("gcn" or "gat")) throw new ArgumentException($"unknown model '{Model}' (expected gcn or gat)");
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {Epochs})");
        if (Hidden < 1) throw new ArgumentException($"hidden must be at least 1 (got {Hidden})");
        if (Heads < 1 || OutputHeads < 1) throw new ArgumentException($"heads must be at least 1 (got {Heads})");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"dropout must be in [0, 1) (got {Dropout})");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"learning rate must be positive (got {LearningRate})");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"weight decay must not be negative (got {WeightDecay})");
        if (Patience < 0) throw new ArgumentException($"patience must not be negative (got {Patience})");
    }

    /// <summary>Builds the model for a dataset.</summary>
    public NodeClassifier CreateModel(int features, int classes, Rng rng) => Model == "gcn"
        ? new Gcn(features, Hidden, classes, Dropout, rng)
        : new Gat(features, Hidden, Heads, classes, Dropout, rng, OutputHeads);
}

/// <summary>One epoch: training loss/accuracy (training mode) and validation/test figures (evaluation mode).</summary>
public readonly record struct EpochMetrics(int Epoch, float TrainLoss, float TrainAccuracy, float ValLoss, float ValAccuracy, float TestAccuracy, double Seconds);

/// <summary>The outcome of one seeded run.</summary>
public sealed record NodeTrainingResult
{
    /// <summary>The seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Every epoch's figures.</summary>
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }

    /// <summary>The selected epoch (1-based): best validation accuracy, ties broken by lower validation loss, then by the earlier epoch.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Metrics at <see cref="BestEpoch"/>.</summary>
    public EpochMetrics Best => Epochs[BestEpoch - 1];

    /// <summary>True when patience ended the run before the epoch limit.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Wall-clock seconds of the whole run (training steps and per-epoch evaluation).</summary>
    public required double Seconds { get; init; }

    /// <summary>Hidden-layer node representations [N, hidden] of the selected epoch (evaluation mode).</summary>
    public required Tensor Embedding { get; init; }
}

/// <summary>Full-batch training of a <see cref="NodeClassifier"/> with Adam and best-validation model selection.</summary>
public static class NodeTrainer
{
    /// <summary>Trains one model from <paramref name="seed"/>; <paramref name="onEpoch"/> sees every epoch.</summary>
    public static NodeTrainingResult Train(CitationGraph data, NodeTrainingOptions options, ulong seed, Action<EpochMetrics>? onEpoch = null)
    {
        options.Validate();
        var rng = new Rng(seed);
        var model = options.CreateModel(data.NumFeatures, data.NumClasses, rng);
        var decayed = model.DecayedParameters().ToHashSet(ReferenceEqualityComparer.Instance);
        // Two Adam instances act as PyTorch's two parameter groups (Adam's state is per parameter).
        var optimizers = new List<Optimizer> { new Adam(model.Parameters().Where(decayed.Contains).ToList(), options.LearningRate, weightDecay: options.WeightDecay) };
        var rest = model.Parameters().Where(p => !decayed.Contains(p)).ToList();
        if (rest.Count > 0) optimizers.Add(new Adam(rest, options.LearningRate));

        var trainTargets = Targets(data.Labels, data.Train);
        var epochs = new List<EpochMetrics>();
        int best = 0, sinceImprovement = 0;
        float bestAccSeen = -1, bestLossSeen = float.PositiveInfinity;
        Tensor? embedding = null;
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.Train();
            foreach (var o in optimizers) o.ZeroGrad();
            var logits = model.Forward(data.Graph, data.Features);
            var loss = Ops.CrossEntropy(logits, trainTargets);
            loss.Backward();
            foreach (var o in optimizers) o.Step();
            float trainAcc = Accuracy(logits, data.Labels, data.Train);

            model.Eval();
            Tensor eval;
            using (Tape.NoGrad()) eval = model.Forward(data.Graph, data.Features);
            var (valLoss, valAcc) = LossAndAccuracy(eval, data.Labels, data.Val);
            var m = new EpochMetrics(epoch, loss.Item(), trainAcc, valLoss, valAcc, Accuracy(eval, data.Labels, data.Test), clock.Elapsed.TotalSeconds);
            epochs.Add(m);
            onEpoch?.Invoke(m);

            if (best == 0 || valAcc > epochs[best - 1].ValAccuracy || (valAcc == epochs[best - 1].ValAccuracy && valLoss < epochs[best - 1].ValLoss))
            {
                best = epoch;
                embedding = model.LastHidden!.Clone();
            }
            // Patience as in the GAT reference code: any new best accuracy or loss resets the count.
            if (valAcc >= bestAccSeen || valLoss <= bestLossSeen)
            {
                bestAccSeen = Math.Max(bestAccSeen, valAcc);
                bestLossSeen = Math.Min(bestLossSeen, valLoss);
                sinceImprovement = 0;
            }
            else if (options.Patience > 0 && ++sinceImprovement >= options.Patience) break;
        }
        return new NodeTrainingResult
        {
            Seed = seed, Epochs = epochs, BestEpoch = best, Seconds = clock.Elapsed.TotalSeconds,
            StoppedEarly = epochs.Count < options.Epochs, Embedding = embedding!,
        };
    }

    /// <summary>Per-node targets: the label for nodes in <paramref name="nodes"/>, −100 (ignored) elsewhere.</summary>
    public static int[] Targets(int[] labels, IEnumerable<int> nodes)
    {
        var t = new int[labels.Length];
        Array.Fill(t, -100);
        foreach (int i in nodes) t[i] = labels[i];
        return t;
    }

    /// <summary>Share of <paramref name="nodes"/> whose arg-max logit is the label.</summary>
    public static float Accuracy(Tensor logits, int[] labels, int[] nodes)
    {
        int c = logits.Shape[1], hit = 0;
        foreach (int i in nodes)
            if (TensorPrimitives.IndexOfMax(logits.Data.AsSpan(i * c, c)) == labels[i]) hit++;
        return nodes.Length == 0 ? 0f : (float)hit / nodes.Length;
    }

    /// <summary>Mean cross-entropy and accuracy over <paramref name="nodes"/> (no gradient).</summary>
    public static (float Loss, float Accuracy) LossAndAccuracy(Tensor logits, int[] labels, int[] nodes)
    {
        int c = logits.Shape[1];
        double sum = 0;
        foreach (int i in nodes)
        {
            var row = logits.Data.AsSpan(i * c, c);
            sum += Softmax.LogSumExp(row) - row[labels[i]];
        }
        return (nodes.Length == 0 ? 0f : (float)(sum / nodes.Length), Accuracy(logits, labels, nodes));
    }
}

/// <summary>Figures over several seeds (standard deviations with the n − 1 denominator; 0 for one seed).</summary>
public sealed record NodeTrainingSummary(int Runs, double TestAccuracyMean, double TestAccuracyStd, double ValAccuracyMean, double SecondsPerRun, double EpochsPerRun)
{
    /// <summary>Summarises finished runs.</summary>
    public static NodeTrainingSummary From(IReadOnlyList<NodeTrainingResult> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("no runs to summarise", nameof(runs));
        var test = runs.Select(r => (double)r.Best.TestAccuracy).ToArray();
        return new NodeTrainingSummary(runs.Count, test.Average(), Std(test), runs.Average(r => (double)r.Best.ValAccuracy),
            runs.Average(r => r.Seconds), runs.Average(r => (double)r.Epochs.Count));
    }

    private static double Std(double[] x)
    {
        if (x.Length < 2) return 0;
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
    }
}
