using SeqGraph.Nn.Graph;

namespace SeqGraph.Training;

/// <summary>A node classifier read back by <see cref="NodeCheckpoint.Load"/>, with what is needed to apply it to data.</summary>
/// <param name="Model">The model with the saved parameters, in evaluation mode.</param>
/// <param name="Options">The settings it was trained with (model kind and sizes among them).</param>
/// <param name="Features">Features per node it expects.</param>
/// <param name="ClassNames">Its classes, in output order.</param>
/// <param name="Data">The data folder it was trained on (full path).</param>
/// <param name="Dataset">That dataset's name.</param>
/// <param name="NormalizeFeatures">Whether the features were row-normalised.</param>
/// <param name="Seed">The seed of its run.</param>
/// <param name="Epoch">The epoch whose parameters these are (the selected one).</param>
/// <param name="ValAccuracy">Validation accuracy at that epoch.</param>
/// <param name="TestAccuracy">Test accuracy at that epoch.</param>
/// <param name="Interrupted">True when its run was stopped before the end (the best epoch so far).</param>
/// <param name="GraphSha256">The <see cref="Data.CitationGraph.StructureSha256"/> of the graph it was trained on; null in older checkpoints.</param>
public sealed record SavedNodeModel(
    NodeClassifier Model, NodeTrainingOptions Options, int Features, string[] ClassNames, string Data, string Dataset,
    bool NormalizeFeatures, ulong Seed, int Epoch, double ValAccuracy, double TestAccuracy, bool Interrupted, string? GraphSha256 = null);
