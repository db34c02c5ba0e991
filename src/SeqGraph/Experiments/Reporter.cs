namespace SeqGraph.Experiments;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action at once, on the reporting thread (unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context): a runner's metrics rows
/// and a caller's progress display see every report in order, before the run goes on.
/// </summary>
public sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}

/// <summary>Creates <see cref="Reporter{T}"/>s with the type inferred.</summary>
public static class Reporter
{
    /// <summary>A synchronous progress sink calling <paramref name="report"/>.</summary>
    public static Reporter<T> Create<T>(Action<T> report) => new(report);
}
