using SeqGraph.Experiments;
using SeqGraph.Experiments.Graph;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Training;

namespace ExperimentsSample;

/// <summary>Each experiment of the command line, called from code with small settings.</summary>
public static class Runs
{
    /// <summary>rnn train into a run folder, with progress.</summary>
    public static RnnTrainResult Train(string outDir, TextWriter log)
    {
        // <snippet rnn-train>
        var config = new RnnTrainConfig
        {
            Task = "palindrome", Length = 6, Model = RecurrentModel.Lstm,
            Optimizer = OptimizerKind.Adam, Init = SeqGraph.Nn.InitScheme.KaimingNormal, Hidden = 32, Steps = 1500,
        };
        RnnTrainResult result = RnnTraining.Run(config, RunFolder.Create(outDir),
            Reporter.Create<StepMetrics>(m => log.WriteLine($"step {m.Step}: loss {m.Loss:F3}")));
        log.WriteLine($"converged: {result.Converged} at {result.StepsToConverge}, test accuracy {result.TestAccuracy:F4}");
        // </snippet>
        return result;
    }

    /// <summary>The example of the package's readme.</summary>
    public static RnnTrainResult Quick()
    {
        // <snippet package-readme>
        var result = RnnTraining.Run(new RnnTrainConfig
        {
            Task = "palindrome", Length = 20, Model = RecurrentModel.Lstm, Optimizer = OptimizerKind.Adam,
        });
        Console.WriteLine($"converged at step {result.StepsToConverge}, test accuracy {result.TestAccuracy:F4}");
        // </snippet>
        return result;
    }

    /// <summary>rnn sweep in memory (no folder).</summary>
    public static RnnSweepResult Sweep()
    {
        // <snippet rnn-sweep>
        var sweep = new RnnSweepConfig
        {
            Models = new[] { RecurrentModel.Rnn, RecurrentModel.Lstm },
            Lengths = new[] { 3, 5 },
            Seeds = new ulong[] { 0, 1 },
            Train = new RnnTrainConfig { Optimizer = OptimizerKind.Adam, Hidden = 16, Steps = 150, TestSamples = 500 },
        };
        RnnSweepResult result = RnnSweep.Run(sweep);       // in memory: nothing written
        foreach (RnnSweepPoint p in result.Results)
            Console.WriteLine($"{p.Model} T={p.Length}: {p.TestAccuracyMean:F3} ± {p.TestAccuracyStd:F3}");
        // </snippet>
        return result;
    }

    /// <summary>rnn gradients.</summary>
    public static RnnGradientsResult Gradients()
    {
        // <snippet rnn-gradients>
        var result = RnnGradients.Run(new RnnGradientsConfig
        {
            Models = new[] { RecurrentModel.Rnn, RecurrentModel.Lstm },
            AfterSteps = 20,
            Train = new RnnTrainConfig { Length = 10, Hidden = 32 },
        });
        foreach (RnnGradientNorms m in result.Models)
            Console.WriteLine($"{m.Model}: ‖∂L/∂h(1)‖ / ‖∂L/∂h(T)‖ = {m.InitFirstOverLast:G3} at init, {m.TrainedFirstOverLast:G3} after training");
        // </snippet>
        return result;
    }

    /// <summary>graph train and graph inspect.</summary>
    public static (GraphTrainResult Train, GraphInspectResult Inspect) Graph(string cora, string example6Edges, CancellationToken cancel)
    {
        // <snippet graph>
        GraphTrainConfig gcn = GraphTrainConfig.For(GraphModel.Gcn, cora) with { Seeds = new ulong[] { 0, 1 } };
        GraphTrainResult trained = GraphTraining.Run(gcn, folder: null, progress: null, cancel);
        Console.WriteLine($"GCN: test accuracy {trained.TestAccuracyMean:P1} ± {trained.TestAccuracyStd:P1}");

        GraphInspectResult inspected = GraphInspection.Run(new GraphInspectConfig { Edges = example6Edges, From = "C", To = "E" });
        Console.WriteLine($"{inspected.GcnLayersNeeded} GCN layers carry information from C to E");
        // </snippet>
        return (trained, inspected);
    }

    /// <summary>text train and text eval.</summary>
    public static (TextTrainResult Train, TextEvalSummary Eval) Text(string corpus, string outDir)
    {
        // <snippet text>
        var config = new TextTrainConfig { Corpus = corpus, Hidden = 32, Steps = 100, EvalEvery = 50 };
        TextTrainResult trained = TextTraining.Run(config, RunFolder.Create(outDir));   // checkpoint, samples.md, plots
        TextEvalSummary eval = TextEvaluation.Run(new TextEvalConfig { Checkpoint = outDir, Corpus = corpus });
        Console.WriteLine($"{trained.Steps} steps, validation {trained.ValBpc:F3} bits/char; whole file {eval.Bpc:F3} bits/char");
        // </snippet>
        return (trained, eval);
    }
}
