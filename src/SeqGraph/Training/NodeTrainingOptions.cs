using SeqGraph.Nn.Graph;
using SeqGraph.Random;

namespace SeqGraph.Training;

/// <summary>Settings of a node-classification run; <see cref="For"/> gives each model's published defaults.</summary>
public record NodeTrainingOptions
{
    /// <summary>GCN or GAT.</summary>
    public GraphModel Model { get; init; } = GraphModel.Gcn;

    /// <summary>Maximum number of epochs (full-batch steps).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Hidden units (per head for GAT).</summary>
    public int Hidden { get; init; } = 16;

    /// <summary>Attention heads of GAT's first layer.</summary>
    public int Heads { get; init; } = 8;

    /// <summary>Attention heads of GAT's output layer (averaged).</summary>
    public int OutputHeads { get; init; } = 1;

    /// <summary>Dropout on inputs and hidden layer (and attention for GAT).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>Adam learning rate.</summary>
    public float Lr { get; init; } = 0.01f;

    /// <summary>L2 weight decay (first layer for GCN, every parameter for GAT).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Stop after this many epochs without a new best validation accuracy or loss; 0 = never.</summary>
    public int Patience { get; init; }

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
