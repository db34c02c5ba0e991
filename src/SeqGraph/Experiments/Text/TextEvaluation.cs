using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Experiments.Text;

/// <summary>
/// <c>text eval</c>: encodes a file with the checkpoint's vocabulary (characters outside it are left
/// out and counted) and scores it with <see cref="TextEvaluator"/>, the state carried through
/// contiguous streams as in generation; a Project Gutenberg header and licence are left out unless
/// <see cref="TextEvalConfig.KeepGutenberg"/> (said once through the progress as a note). Progress: the characters
/// scored so far, after every chunk of <see cref="TextEvaluator.ChunkSteps"/> steps. Writes no files.
/// Cancellation throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class TextEvaluation : IExperiment<TextEvalConfig, TextEvalProgress, TextEvalSummary>
{
    /// <inheritdoc/>
    public static TextEvalSummary Run(TextEvalConfig config, RunFolder? folder = null, IProgress<TextEvalProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var loaded = TextCheckpoint.LoadModel(config.Checkpoint);
        var corpus = TextCorpus.Load(config.Corpus, new TextCorpusOptions { Encoding = config.Encoding, KeepGutenberg = config.KeepGutenberg, ValidationFraction = 0 }, loaded.Vocabulary);
        if (TextCorpusNote.For(corpus) is { } note) progress?.Report(new TextEvalProgress(0, 0, note));
        if (corpus.Length < 2) throw new InvalidDataException($"{config.Corpus}: fewer than 2 characters of the model's vocabulary; nothing to score");
        long total = TextEvaluator.Predictions(corpus.Length);
        var scored = progress is null ? null : new Reporter<long>(done => progress.Report(new TextEvalProgress(done, total)));
        TextEvalResult r;
        try { r = TextEvaluator.Evaluate(loaded.Model, corpus, 0, corpus.Length, cancel: cancel, progress: scored); }
        catch (NonFiniteOutputException e) { throw e.ForFile(TextSampleSession.CheckpointFile(config.Checkpoint)); }
        return new TextEvalSummary
        {
            Loss = Math.Round(r.Loss, 6), Bpc = Math.Round(r.BitsPerCharacter, 6), Accuracy = Math.Round(r.Accuracy, 6), Characters = r.Characters,
            UnknownCharacters = corpus.UnknownCount, UnknownExamples = corpus.UnknownExamples.Select(char.ConvertFromUtf32).ToArray(),
        };
    }
}
