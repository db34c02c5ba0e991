namespace SeqGraph.Experiments.Sweeps;

/// <summary>One point of a sweep's chart: a metric's mean ± sample standard deviation over the trials
/// that share every value but the seed (see <see cref="Statistics"/>).</summary>
/// <param name="Metric">The results column (<c>test_accuracy</c>).</param>
/// <param name="Series">The values of the axes other than the chart's x and the seed ("rnn"; "" with none).</param>
/// <param name="Axis">The x axis (the grid axis the chart is drawn against).</param>
/// <param name="X">The x axis value.</param>
/// <param name="Mean">The mean over the finite values.</param>
/// <param name="Std">Their sample standard deviation.</param>
/// <param name="Count">How many values were finite (a diverged trial's, a run that did not converge's steps are not).</param>
/// <param name="Of">How many trials share the point.</param>
public sealed record SweepPoint(string Metric, string Series, string Axis, double X, double Mean, double Std, int Count, int Of);
