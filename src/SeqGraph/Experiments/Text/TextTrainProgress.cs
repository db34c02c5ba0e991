using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text train</c> reports after every step.</summary>
/// <param name="Step">The step's figures.</param>
/// <param name="Fraction">Share of the budget (steps or minutes) used, 0..1.</param>
/// <param name="CharsPerSecond">Training characters per second of this process so far.</param>
/// <param name="Eval">The validation result, on steps that validated.</param>
/// <param name="Steps">The step budget, if the run has one.</param>
public sealed record TextTrainProgress(TextStepResult Step, double Fraction, double CharsPerSecond, TextEvalResult? Eval, int? Steps);
