using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Training;

/// <summary>
/// Scores a model on a stretch of a corpus the way it is used for generation: the stretch is cut
/// into up to 64 contiguous streams read side by side as one batch, in chunks, with the hidden and
/// cell state carried from chunk to chunk (so every character after the first of its stream is
/// predicted with all of its stream's history). No tape, dropout off.
/// </summary>
public static class TextEvaluator
{
    /// <summary>Characters per chunk (the time length of each forward pass).</summary>
    public const int ChunkSteps = 128;

    /// <summary>How many characters <see cref="Evaluate"/> predicts in a stretch of <paramref name="length"/> (the streams are equal, so a few at the end may be left out).</summary>
    public static long Predictions(int length, int maxStreams = 64)
    {
        int pairs = length - 1;
        if (pairs < 1) return 0;
        int streams = Math.Clamp(pairs / ChunkSteps, 1, maxStreams);
        return (long)(pairs / streams) * streams;
    }

    /// <summary>
    /// Evaluates symbols [start, start + length) of <paramref name="corpus"/>; NaN figures when fewer
    /// than 2. <paramref name="progress"/> receives the characters predicted so far after each chunk
    /// (the last report is <see cref="Predictions"/>).
    /// </summary>
    public static TextEvalResult Evaluate(CharLstm model, TextCorpus corpus, int start, int length, int maxStreams = 64, CancellationToken cancel = default,
        IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        if (start < 0 || length < 0 || start + length > corpus.Length) throw new ArgumentOutOfRangeException(nameof(length), "stretch outside the corpus");
        int pairs = length - 1;
        if (pairs < 1) return new TextEvalResult(double.NaN, double.NaN, 0);
        int streams = Math.Clamp(pairs / ChunkSteps, 1, maxStreams);
        int perStream = pairs / streams; // predictions per stream; the last few characters may be left out
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Tape.NoGrad();
            RecurrentState? state = null;
            double lossSum = 0;
            long hits = 0, count = 0;
            for (int done = 0; done < perStream; done += ChunkSteps)
            {
                cancel.ThrowIfCancellationRequested();
                int t = Math.Min(ChunkSteps, perStream - done);
                var inputs = new int[t * streams];
                var targets = new int[t * streams];
                for (int b = 0; b < streams; b++)
                {
                    int s0 = start + b * perStream + done;
                    for (int k = 0; k < t; k++)
                    {
                        inputs[k * streams + b] = corpus[s0 + k];
                        targets[k * streams + b] = corpus[s0 + k + 1];
                    }
                }
                var r = model.Loss(inputs, targets, t, streams, state);
                state = r.Final;
                lossSum += (double)r.Loss.Item() * r.Count;
                hits += r.Correct;
                count += r.Count;
                progress?.Report(count);
            }
            return new TextEvalResult(lossSum / count, (double)hits / count, count);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
