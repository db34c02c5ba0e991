using SeqGraph.Data;
using SeqGraph.Experiments;
using SeqGraph.Optim;
using SeqGraph.Random;
using SeqGraph.Training;

namespace CoupledLstm;

/// <summary>Trains the coupled-gate LSTM on digit palindromes with the library's <see cref="SequenceTrainer"/>.</summary>
public static class CoupledLstmSample
{
    /// <summary>Trains on palindromes of <paramref name="length"/> digits and writes progress and the outcome to <paramref name="output"/>.</summary>
    public static SequenceTrainResult Run(int length, TextWriter output)
    {
        // <snippet train>
        var task = SequenceTasks.Create("palindrome", length);
        var model = new CoupledLstmClassifier(task.VocabularySize, task.NumClasses, embed: 16, hidden: 48, new Rng(1));
        var options = new SequenceTrainOptions
        {
            Optimizer = OptimizerKind.Adam, Lr = 1e-2f, Batch = 64, Steps = 2000, TestSamples = 2000, LogEvery = 10, Seed = 1,
        };
        var trainer = new SequenceTrainer(model, task, options);
        var progress = Reporter.Create<StepMetrics>(m => output.WriteLine($"step {m.Step}: loss {m.Loss:F4}, batch accuracy {m.Accuracy:F3}"));
        SequenceTrainResult result = trainer.Train(progress);
        output.WriteLine($"coupled-gate LSTM, palindromes of {length} digits: " +
            (result.Converged ? $"converged at step {result.StepsToConverge}" : $"not converged in {result.Steps} steps") +
            $", test accuracy {result.TestAccuracy:F4}, {model.ParameterCount:N0} parameters");
        // </snippet>
        return result;
    }
}
