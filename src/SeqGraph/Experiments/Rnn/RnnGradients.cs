using System.Globalization;
using System.Text;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Reporting;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn gradients</c> (vanishing gradients): for each model, ‖∂L/∂h(t)‖ on one fixed batch at
/// initialisation, then <see cref="RnnGradientsConfig.AfterSteps"/> steps of the ordinary
/// <see cref="SequenceTrainer"/>, then again. Writes config.json, gradnorms.csv (model, phase, t,
/// norm), gradnorms.svg (log scale) and summary.json.
/// </summary>
public sealed class RnnGradients : IExperiment<RnnGradientsConfig, RnnGradientsProgress, RnnGradientsResult>
{
    /// <inheritdoc/>
    public static RnnGradientsResult Run(RnnGradientsConfig config, RunFolder? folder = null, IProgress<RnnGradientsProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        using var writing = folder?.Hold("rnn gradients");
        folder?.WriteConfig(config.ToRecord());
        using var threads = Parallelism.Use(config.Train.Threads);
        var t0 = config.Train;
        int inputLength = t0.CreateTask().InputLength;
        long total = (long)config.Models.Length * (config.AfterSteps + 2), done = 0;
        var models = new List<RnnGradientNorms>();
        bool interrupted = false;
        foreach (var name in config.Models)
        {
            if (cancel.IsCancellationRequested) { interrupted = true; break; }
            var c = t0 with { Model = name };
            var task = c.CreateTask();
            var model = c.CreateModel(task);
            var (probeX, probeY) = task.SampleBatch(new Rng(c.Seed ^ 0x0B5E_4E11UL), c.Batch);
            var before = GradientProbe.HiddenGradientNorms(model, probeX, probeY, c.Batch, inputLength);
            progress?.Report(new RnnGradientsProgress(++done, total, name, 0));
            var trainer = new SequenceTrainer(model, task, c);
            double acc = double.NaN;
            Divergence? diverged = null;
            for (int step = 1; step <= config.AfterSteps && diverged is null; step++)
            {
                if (cancel.IsCancellationRequested) { interrupted = true; break; }
                // the probes measure large gradients on purpose (a finite norm of any size is a result);
                // a NaN or ∞ in the training between them leaves no trained model to measure
                try { acc = trainer.Step().Accuracy; }
                catch (TrainingDivergedException e)
                {
                    diverged = Divergence.At("step", step, e, step == 1 ? "at the first step, before any update: the starting weights give it" : Divergence.LearningRateCause(c.Lr, c.Clip == 0), $" of {name.Name()}");
                    break;
                }
                progress?.Report(new RnnGradientsProgress(++done, total, name, step));
            }
            if (interrupted) break;
            double[]? after = config.AfterSteps > 0 && diverged is null ? GradientProbe.HiddenGradientNorms(model, probeX, probeY, c.Batch, inputLength) : null;
            progress?.Report(new RnnGradientsProgress(++done, total, name, 0));
            models.Add(new RnnGradientNorms
            {
                Model = name, Init = before, Trained = after,
                InitFirstOverLast = before[0] / before[^1],
                TrainedFirstOverLast = after is null ? null : after[0] / after[^1],
                TrainAccuracyLastStep = after is null ? null : acc, Diverged = diverged,
            });
        }
        var result = new RnnGradientsResult
        {
            Task = t0.Task, Length = t0.Length, InputLength = inputLength, AfterSteps = config.AfterSteps, Models = models, Interrupted = interrupted,
            Diverged = models.FirstOrDefault(m => m.Diverged is not null)?.Diverged,
        };
        if (folder is not null)
        {
            folder.WriteText("gradnorms.csv", Csv(models));
            folder.SaveChart("gradnorms.svg", Chart(result));
            folder.WriteSummary(result);
        }
        return result;
    }

    private static string Csv(IEnumerable<RnnGradientNorms> models)
    {
        var csv = new StringBuilder("model,phase,t,norm\n");
        foreach (var m in models)
            for (int t = 0; t < m.Init.Length; t++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{m.Model.Name()},init,{t + 1},{m.Init[t]:R}\n");
                if (m.Trained is { } tr) csv.Append(CultureInfo.InvariantCulture, $"{m.Model.Name()},trained,{t + 1},{tr[t]:R}\n");
            }
        return csv.ToString();
    }

    private static SvgChart Chart(RnnGradientsResult r)
    {
        var chart = new SvgChart($"‖∂L/∂h(t)‖ — {r.Task}, T={r.Length}", "time step t", "mean gradient norm") { LogY = true };
        var ts = Enumerable.Range(1, r.InputLength).Select(t => (double)t).ToArray();
        foreach (var m in r.Models)
        {
            chart.AddSeries($"{m.Model.Name()} (init)", ts, m.Init);
            if (m.Trained is { } tr) chart.AddSeries($"{m.Model.Name()} (after {r.AfterSteps} steps)", ts, tr);
        }
        return chart;
    }
}
