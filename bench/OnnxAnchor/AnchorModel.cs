using SeqGraph.Data;
using SeqGraph.Interop.Onnx;
using SeqGraph.Training;

namespace OnnxAnchor;

/// <summary>
/// The model both sides run: the char-LSTM of <c>text train</c> (2 layers, embedding 64, the
/// corpus's vocabulary) at the given hidden size, weights from seed 0 and a few training steps on
/// the corpus (so that greedy text is not a random network's), exported with SeqGraph's own ONNX
/// exporter into <see cref="OnnxPath"/>.
/// </summary>
internal sealed class AnchorModel : IDisposable
{
    private readonly string _folder;

    public TextModel Text { get; }
    public string OnnxPath { get; }
    public string Description { get; }

    public AnchorModel(string corpusPath, int hidden, int trainSteps)
    {
        var config = new TextTrainConfig { Corpus = corpusPath, Hidden = hidden, Steps = Math.Max(1, trainSteps) };
        var corpus = TextCorpus.Load(corpusPath, config.CorpusOptions());
        var trainer = new TextTrainer(config, corpus);
        for (int i = 0; i < trainSteps; i++) trainer.TrainStep();
        Text = new TextModel(trainer.Model, corpus.Vocabulary.ToArray(), trainSteps, config);
        var export = CharLstmOnnx.Build(Text);
        Description = export.Description;
        _folder = Directory.CreateTempSubdirectory("seqgraph-onnx-anchor-").FullName;
        OnnxPath = Path.Combine(_folder, "char_lstm.onnx");
        OnnxGraphBuilder.Save(export.Model, OnnxPath);
    }

    public int Layers => Text.Model.Config.Layers;
    public int Hidden => Text.Model.Config.Hidden;
    public int Vocabulary => Text.Model.Config.Vocabulary;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
