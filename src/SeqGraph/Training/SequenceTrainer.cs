using System.Diagnostics;
using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>
/// Trains a <see cref="SequenceModel"/> on a memorization task: each step draws a fresh batch
/// from the task (a generator seeded by the options' seed), takes the mean cross-entropy of the
/// last-step logits, clips the global gradient norm and updates. <see cref="Train"/> runs until
/// the mean training accuracy over the last <see cref="SequenceTrainOptions.Window"/> steps reaches
/// the target (converged; the step where that window began is the step of convergence) or the
/// step budget runs out, then measures test accuracy on fresh examples from an independent stream.
/// Works for the built-in models and for any user-defined <see cref="SequenceModel"/>.
/// </summary>
public sealed class SequenceTrainer
{
    private readonly int[] _inputs, _labels;
    private readonly Rng _data;
    private readonly Stopwatch _clock = new();

    /// <summary>Prepares training of <paramref name="model"/> on <paramref name="task"/>.</summary>
    public SequenceTrainer(SequenceModel model, ISequenceTask task, SequenceTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        (Model, Task, Options) = (model, task, options);
        Optimizer = OptimizerFactory.Create(options.Optimizer, model.Parameters(), options.Lr, options.Momentum);
        _data = new Rng(options.Seed ^ 0x5EED_DA7AUL);
        _inputs = new int[checked(options.Batch * task.InputLength)];
        _labels = new int[options.Batch];
    }

    /// <summary>The model being trained.</summary>
    public SequenceModel Model { get; }

    /// <summary>The task batches come from.</summary>
    public ISequenceTask Task { get; }

    /// <summary>The settings.</summary>
    public SequenceTrainOptions Options { get; }

    /// <summary>The optimizer (built from the options).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Steps done so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>One step on a fresh batch (<see cref="TrainingDivergedException"/> when it diverges: nothing is applied, <see cref="StepsDone"/> stays).</summary>
    public StepMetrics Step()
    {
        _clock.Start();
        Task.Sample(_data, Options.Batch, _inputs, _labels);
        double loss, acc, norm;
        try { (loss, acc, norm) = TrainStep(Model, Optimizer, _inputs, _labels, Options.Batch, Task.InputLength, Options.Clip); }
        finally { _clock.Stop(); }
        StepsDone++;
        return new StepMetrics(StepsDone, loss, acc, norm, _clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Trains to convergence or the step budget; <paramref name="progress"/> sees every
    /// <see cref="SequenceTrainOptions.LogEvery"/>-th step (and the first and last).
    /// Cancellation stops after the current step; the result is then marked interrupted (and
    /// still has its test figures). A step whose loss or gradient is not finite ends the run
    /// before its update, marked <see cref="SequenceTrainResult.Diverged"/> (no test figures: NaN).
    /// </summary>
    public SequenceTrainResult Train(IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        var o = Options;
        var window = new Queue<double>();
        double windowSum = 0, lastAcc = 0;
        int? converged = null;
        bool interrupted = false;
        Divergence? diverged = null;
        while (StepsDone < o.Steps && converged is null)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            StepMetrics m;
            try { m = Step(); }
            catch (TrainingDivergedException e)
            {
                diverged = Divergence.At("step", StepsDone + 1, e, StepsDone == 0
                    ? "at the first step, before any update: the starting weights give it"
                    : Divergence.LearningRateCause(o.Lr, o.Clip == 0));
                break;
            }
            lastAcc = m.Accuracy;
            window.Enqueue(m.Accuracy);
            windowSum += m.Accuracy;
            if (window.Count > o.Window) windowSum -= window.Dequeue();
            if (window.Count == o.Window && windowSum / o.Window >= o.TargetAccuracy - 1e-12) converged = m.Step - o.Window + 1;
            if (progress is not null && (m.Step % o.LogEvery == 0 || m.Step == 1 || converged is not null || m.Step == o.Steps))
                progress.Report(m);
        }
        // The checks above run before each update; the last update itself can still overflow a weight
        // (e.g. Adam with a huge --lr): a model left non-finite is a divergence too, never saved.
        if (diverged is null && StepsDone > 0
            && Tensors.Finite.FirstNonFinite(Model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value))) is { } bad)
            diverged = new Divergence(StepsDone, "weights",
                $"diverged at step {StepsDone}: its update made {bad} non-finite ({Divergence.LearningRateCause(o.Lr, o.Clip == 0)})");
        double seconds = _clock.Elapsed.TotalSeconds;
        // a diverged model is not tested: its figures would say nothing
        var (testAcc, testLoss) = diverged is null ? Evaluate(o.TestSamples) : (double.NaN, double.NaN);
        return new SequenceTrainResult(StepsDone, converged is not null, converged, window.Count == 0 ? lastAcc : windowSum / window.Count,
            testAcc, testLoss, seconds, Model.ParameterCount, interrupted) { Diverged = diverged };
    }

    /// <summary>Accuracy and mean loss on <paramref name="samples"/> fresh examples of the test stream (the same examples for every call).</summary>
    public (double Accuracy, double Loss) Evaluate(int samples) => Evaluate(Model, Task, new Rng(Options.Seed ^ 0x7E57_5A3BUL), samples);

    /// <summary>
    /// One optimisation step on a given batch; returns loss, batch accuracy and the pre-clip gradient norm.
    /// A non-finite loss or gradient norm throws <see cref="TrainingDivergedException"/> before the
    /// optimizer changes anything.
    /// </summary>
    public static (double Loss, double Accuracy, double GradNorm) TrainStep(SequenceModel model, Optimizer opt,
        int[] inputs, int[] labels, int batch, int length, float clip)
    {
        model.Train();
        opt.ZeroGrad();
        var logits = model.Forward(inputs, batch, length);
        var loss = Ops.CrossEntropy(logits, labels);
        loss.Backward();
        // With clipping off, an infinite threshold still returns the global norm and scales nothing.
        double norm = ClipGrad.ClipGradNorm(opt.Parameters, clip > 0 ? clip : float.PositiveInfinity);
        double value = loss.Item();
        TrainingDivergedException.ThrowIfNonFinite(value, norm);   // before the update: the weights stay those of the last good step
        opt.Step();
        return (value, Accuracy(logits, labels), norm);
    }

    /// <summary>Accuracy and mean loss of <paramref name="model"/> on <paramref name="samples"/> examples drawn from <paramref name="rng"/>.</summary>
    public static (double Accuracy, double Loss) Evaluate(SequenceModel model, ISequenceTask task, Rng rng, int samples)
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
