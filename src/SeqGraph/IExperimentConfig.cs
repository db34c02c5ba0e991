namespace SeqGraph;

/// <summary>A run's settings: immutable, validated before anything runs, and the content of <c>config.json</c>.</summary>
public interface IExperimentConfig
{
    /// <summary>Throws <see cref="ConfigException"/> naming the first invalid setting (by its command-line option).</summary>
    void Validate();
}
