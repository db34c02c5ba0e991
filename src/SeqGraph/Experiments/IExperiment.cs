using SeqGraph.IO;

namespace SeqGraph.Experiments;

/// <summary>
/// The one shape of every run SeqGraph offers (rnn train / sweep / gradients, text train /
/// sample / eval, graph train / inspect): a typed, immutable config that validates itself, a
/// runner that reports progress and honours cancellation, and a typed result that is what
/// <c>summary.json</c> and <c>--json</c> hold. The command line and the web page only map their
/// inputs onto the config and print the result.
/// </summary>
/// <typeparam name="TConfig">The settings (<see cref="IExperimentConfig"/>); written to <c>config.json</c>.</typeparam>
/// <typeparam name="TProgress">What the runner reports while it works.</typeparam>
/// <typeparam name="TResult">The final figures; written to <c>summary.json</c>.</typeparam>
public interface IExperiment<TConfig, TProgress, TResult> where TConfig : IExperimentConfig
{
    /// <summary>
    /// Runs the experiment. <paramref name="folder"/> receives the run's files (config, metrics,
    /// summary, plots) when given; with null nothing is written (experiments that only read,
    /// such as sampling, ignore it). Cancellation ends the run early with a result marked
    /// interrupted where the experiment can stop part-way, or an <see cref="OperationCanceledException"/>
    /// where it cannot. A config that does not validate throws <see cref="ConfigException"/>.
    /// </summary>
    static abstract TResult Run(TConfig config, RunFolder? folder = null, IProgress<TProgress>? progress = null, CancellationToken cancel = default);
}
