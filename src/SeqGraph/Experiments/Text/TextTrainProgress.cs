using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// What <c>text train</c> reports: after every step (<see cref="Step"/> set), and before the first
/// step one note about the data when there is something to say (<see cref="Note"/> set, e.g. that
/// Project Gutenberg's header and licence were dropped; <see cref="Step"/> is then null).
/// </summary>
/// <param name="Step">The step's figures; null for a note.</param>
/// <param name="Fraction">Share of the budget (steps or minutes) used, 0..1.</param>
/// <param name="CharsPerSecond">Training characters per second of this process so far.</param>
/// <param name="Eval">The validation result, on steps that validated.</param>
/// <param name="Steps">The step budget, if the run has one.</param>
/// <param name="Note">A one-line message about the run's data, for the user.</param>
public sealed record TextTrainProgress(TextStepResult? Step, double Fraction, double CharsPerSecond, TextEvalResult? Eval, int? Steps, string? Note = null);
