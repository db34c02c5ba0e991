using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Graph;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>Full-batch training of a <see cref="NodeClassifier"/> with Adam and best-validation model selection.</summary>
public static class NodeTrainer
{
    /// <summary>
    /// Trains one model from <paramref name="seed"/>; <paramref name="onEpoch"/> sees every epoch.
    /// Cancellation stops after the current epoch (at least one epoch runs); the result is then
    /// marked interrupted. An epoch whose loss or gradients are not finite ends the run before its
    /// update, marked <see cref="NodeTrainingResult.Diverged"/>; only epochs with a finite validation
    /// loss can be selected (a run that diverged at epoch 1 has none: <see cref="NodeTrainingResult.BestEpoch"/> 0).
    /// <paramref name="firstEpochCause"/> is the likely cause given for a divergence at epoch 1, before any update.
    /// </summary>
    public static NodeTrainingResult Train(CitationGraph data, NodeTrainingOptions options, ulong seed, Action<EpochMetrics>? onEpoch = null, CancellationToken cancel = default,
        string firstEpochCause = "at the first epoch, before any update: the node features are likely too large")
    {
        options.Validate();
        var rng = new Rng(seed);
        var model = options.CreateModel(data.NumFeatures, data.NumClasses, rng);
        var decayed = model.DecayedParameters().ToHashSet(ReferenceEqualityComparer.Instance);
        // Two Adam instances act as PyTorch's two parameter groups (Adam's state is per parameter).
        var optimizers = new List<Optimizer> { new Adam(model.Parameters().Where(decayed.Contains).ToList(), options.Lr, weightDecay: options.WeightDecay) };
        var rest = model.Parameters().Where(p => !decayed.Contains(p)).ToList();
        if (rest.Count > 0) optimizers.Add(new Adam(rest, options.Lr));

        var trainTargets = Targets(data.Labels, data.Train);
        var epochs = new List<EpochMetrics>();
        int best = 0, sinceImprovement = 0;
        float bestAccSeen = -1, bestLossSeen = float.PositiveInfinity;
        Tensor? embedding = null;
        Dictionary<string, Tensor>? bestParameters = null;
        var clock = Stopwatch.StartNew();
        bool interrupted = false;
        Divergence? diverged = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (epoch > 1 && cancel.IsCancellationRequested) { interrupted = true; break; }
            model.Train();
            foreach (var o in optimizers) o.ZeroGrad();
            var logits = model.Forward(data.Graph, data.Features);
            var loss = Ops.CrossEntropy(logits, trainTargets);
            loss.Backward();
            try { TrainingDivergedException.ThrowIfNonFinite(loss.Item(), model.Parameters()); }   // before the update
            catch (TrainingDivergedException e)
            {
                diverged = Divergence.At("epoch", epoch, e, epoch == 1 ? firstEpochCause : Divergence.LearningRateCause(options.Lr, clipOff: false), $" of seed {seed}");
                break;
            }
            foreach (var o in optimizers) o.Step();
            // the update itself can overflow a weight (a huge --lr): the epochs before it stay the ones to choose from
            if (Tensors.Finite.FirstNonFinite(model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value))) is { } bad)
            {
                diverged = new Divergence(epoch, "weights",
                    $"diverged at epoch {epoch} of seed {seed}: its update made {bad} non-finite ({Divergence.LearningRateCause(options.Lr, clipOff: false)})");
                break;
            }
            float trainAcc = Accuracy(logits, data.Labels, data.Train);

            model.Eval();
            Tensor eval;
            using (Tape.NoGrad()) eval = model.Forward(data.Graph, data.Features);
            var (valLoss, valAcc) = LossAndAccuracy(eval, data.Labels, data.Val);
            var m = new EpochMetrics(epoch, loss.Item(), trainAcc, valLoss, valAcc, Accuracy(eval, data.Labels, data.Test), clock.Elapsed.TotalSeconds);
            epochs.Add(m);
            onEpoch?.Invoke(m);

            if (float.IsFinite(valLoss) && (best == 0 || valAcc > epochs[best - 1].ValAccuracy || (valAcc == epochs[best - 1].ValAccuracy && valLoss < epochs[best - 1].ValLoss)))
            {
                best = epoch;
                embedding = model.LastHidden!.Clone();
                bestParameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Value.Clone());
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
            StoppedEarly = !interrupted && diverged is null && epochs.Count < options.Epochs, Embedding = embedding!, Interrupted = interrupted,
            BestParameters = bestParameters!, Diverged = diverged,
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
