using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>What <c>graph predict</c> reports (the predictions themselves are in the CSV file).</summary>
/// <param name="Model">The model kind.</param>
/// <param name="Seed">The seed of the saved model.</param>
/// <param name="Epoch">Its epoch (the one selected in training).</param>
/// <param name="Dataset">The dataset predicted on.</param>
/// <param name="Data">Its folder.</param>
/// <param name="Nodes">Nodes predicted (every node of the graph).</param>
/// <param name="LabelledNodes">Nodes with a label.</param>
/// <param name="TrainNodes">Nodes in the training split.</param>
/// <param name="ValNodes">Nodes in the validation split.</param>
/// <param name="TestNodes">Nodes in the test split.</param>
/// <param name="TrainAccuracy">Accuracy of the predictions on the training nodes (0 when there are none).</param>
/// <param name="ValAccuracy">On the validation nodes.</param>
/// <param name="TestAccuracy">On the test nodes.</param>
/// <param name="TrainedTestAccuracy">The test accuracy recorded when the model was trained (on its own data).</param>
/// <param name="Predictions">The CSV file written.</param>
public sealed record GraphPredictResult(
    GraphModel Model = default, ulong Seed = 0, int Epoch = 0, string Dataset = "", string Data = "",
    int Nodes = 0, int LabelledNodes = 0, int TrainNodes = 0, int ValNodes = 0, int TestNodes = 0,
    double TrainAccuracy = 0, double ValAccuracy = 0, double TestAccuracy = 0, double TrainedTestAccuracy = 0,
    string Predictions = "");
