using SeqGraph.Nn.Graph;
using SeqGraph.Random;

namespace SeqGraph.Training;

/// <summary>Settings of a node-classification run; <see cref="For"/> gives each model's published defaults.</summary>
/// <param name="Model">GCN or GAT.</param>
/// <param name="Epochs">Maximum number of epochs (full-batch steps).</param>
/// <param name="Hidden">Hidden units (per head for GAT).</param>
/// <param name="Heads">Attention heads of GAT's first layer.</param>
/// <param name="OutputHeads">Attention heads of GAT's output layer (averaged).</param>
/// <param name="Dropout">Dropout on inputs and hidden layer (and attention for GAT).</param>
/// <param name="Lr">Adam learning rate.</param>
/// <param name="WeightDecay">L2 weight decay (first layer for GCN, every parameter for GAT).</param>
/// <param name="Patience">Stop after this many epochs without a new best validation accuracy or loss; 0 = never.</param>
public record NodeTrainingOptions(
    GraphModel Model = GraphModel.Gcn, int Epochs = 200, int Hidden = 16,
    int Heads = 8, int OutputHeads = 1, float Dropout = 0.5f,
    float Lr = 0.01f, double WeightDecay = 5e-4, int Patience = 0)
{
    /// <summary>
    /// The defaults of the papers: GCN 16 hidden, dropout 0.5, lr 0.01, wd 5e-4 (first layer),
    /// 200 epochs; GAT 8 heads × 8 hidden, dropout 0.6, lr 0.005, wd 5e-4, patience 100 within
    /// at most 1,000 epochs.
    /// </summary>
    public static NodeTrainingOptions For(GraphModel model) => model switch
    {
        GraphModel.Gcn => new NodeTrainingOptions(),
        GraphModel.Gat => new NodeTrainingOptions { Model = GraphModel.Gat, Epochs = 1000, Hidden = 8, Heads = 8, Dropout = 0.6f, Lr = 0.005f, Patience = 100 },
        _ => throw new ArgumentException($"unknown model '{model}' (expected gcn or gat)", nameof(model)),
    };

    /// <summary>The same settings with <paramref name="model"/>'s published defaults where this has the other model's.</summary>
    public static T WithDefaultsOf<T>(T options, GraphModel model) where T : NodeTrainingOptions
    {
        var d = For(model);
        return options with
        {
            Model = model, Epochs = d.Epochs, Hidden = d.Hidden, Heads = d.Heads, OutputHeads = d.OutputHeads,
            Dropout = d.Dropout, Lr = d.Lr, WeightDecay = d.WeightDecay, Patience = d.Patience,
        };
    }

    /// <summary>Throws <see cref="ConfigException"/> naming the first out-of-range setting.</summary>
    public virtual void Validate()
    {
        if (!Enum.IsDefined(Model)) throw new ConfigException("--model", $"--model: unknown model '{Model}' (expected gcn or gat)");
        ConfigException.Positive("--epochs", Epochs);
        ConfigException.Positive("--hidden", Hidden);
        ConfigException.Positive("--heads", Heads);
        ConfigException.Positive("output heads", OutputHeads);
        ConfigException.InRange("--dropout", Dropout, 0, 1);
        ConfigException.Positive("--lr", Lr);
        ConfigException.NonNegative("--weight-decay", WeightDecay);
        ConfigException.NonNegative("--patience", Patience);
    }

    /// <summary>Builds the model for a dataset.</summary>
    public NodeClassifier CreateModel(int features, int classes, Rng rng) => Model == GraphModel.Gcn
        ? new Gcn(features, Hidden, classes, Dropout, rng)
        : new Gat(features, Hidden, Heads, classes, Dropout, rng, OutputHeads);
}
