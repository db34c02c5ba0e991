using System.Globalization;

namespace SeqGraph.Training;

/// <summary>
/// How a training run diverged (summary.json's <c>"diverged"</c>; null when it did not): the step
/// (the epoch, for graph training) at which a NaN or an infinity appeared. That step's update was
/// not applied and nothing non-finite was saved: the run's last saved checkpoint is the last good one.
/// </summary>
/// <param name="Step">The step (epoch) that stopped the run.</param>
/// <param name="What">What went non-finite: "loss", "gradient", "weights" or "optimizer state".</param>
/// <param name="Message">One line for the user: where, what, and the likely cause.</param>
public sealed record Divergence(int Step, string What, string Message)
{
    /// <summary>
    /// The divergence <paramref name="e"/> at <paramref name="unit"/> <paramref name="step"/>
    /// (<paramref name="where"/>, e.g. " of seed 2", follows the step), with <paramref name="cause"/> in brackets.
    /// </summary>
    public static Divergence At(string unit, int step, TrainingDivergedException e, string cause, string where = "")
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Divergence(step, e.What, $"diverged at {unit} {step}{where}: {e.Message} ({cause})");
    }

    /// <summary>The likely cause after some updates: the learning rate, with what to try (clipping when it is off).</summary>
    public static string LearningRateCause(double lr, bool clipOff) =>
        $"learning rate {Number(lr)} is likely too high; try a smaller --lr{(clipOff ? ", or --clip" : "")}";

    /// <summary>A learning rate as the messages show it: 1e+30, 0.001.</summary>
    public static string Number(double value) =>
        value != 0 && (Math.Abs(value) >= 1e5 || Math.Abs(value) < 1e-4)
            ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.######", CultureInfo.InvariantCulture);
}
